import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './auth';
import { setupWallet, type TestWallet } from '../tests/helpers/server-app';

let w: TestWallet;
beforeAll(async () => {
  w = await setupWallet();
});
afterAll(() => w.close());

const login = (email: string, password: string) =>
  w.req('POST', '/v1/auth/login', { body: { email, password } });
const refresh = (refreshToken: string) => w.req('POST', '/v1/auth/refresh', { body: { refreshToken } });

describe('passwords', () => {
  it('scrypt with a per-user salt: two hashes of one password differ and both verify', async () => {
    const a = await hashPassword('correct horse battery', 1024);
    const b = await hashPassword('correct horse battery', 1024);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$1024\$/);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('login', () => {
  it('answers a bearer pair valid 15 minutes; tokens are stored hashed only', async () => {
    const u = await w.user();
    const r = await login(u.email.toUpperCase(), u.password);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(r.body.accessToken).not.toBe(r.body.refreshToken);
    const stored = await w.db.query<{ token_hash: string }>(
      `SELECT token_hash FROM access_tokens UNION ALL SELECT token_hash FROM refresh_tokens`,
    );
    const all = stored.map((s) => s.token_hash);
    expect(all).not.toContain(r.body.accessToken);
    expect(all).not.toContain(r.body.refreshToken);
    expect(all.some((h) => r.body.accessToken.includes(h) || h.includes(r.body.accessToken))).toBe(false);
  });

  it('401 on a wrong password or an unknown email, same problem', async () => {
    const u = await w.user();
    const a = await login(u.email, 'wrong password!');
    const b = await login('nobody-here@test.example', 'wrong password!');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body.detail).toBe(b.body.detail);
  });

  it('429 after 5 failures in a minute for one email, even with the right password; free again after the minute', async () => {
    const u = await w.user();
    for (let i = 0; i < 5; i++) expect((await login(u.email, `wrong-${i}-password`)).status).toBe(401);
    const limited = await login(u.email, u.password);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // another email is not affected
    const v = await w.user();
    expect((await login(v.email, v.password)).status).toBe(200);
    w.clock.advance(61_000);
    try {
      expect((await login(u.email, u.password)).status).toBe(200);
    } finally {
      w.clock.reset();
    }
  });

  it('400 on a malformed body', async () => {
    expect((await w.req('POST', '/v1/auth/login', { body: { email: 'a@b.c' } })).status).toBe(400);
  });
});

describe('access tokens', () => {
  it('expire after 15 minutes', async () => {
    const u = await w.user();
    w.clock.advance(14 * 60_000);
    expect((await w.req('GET', '/v1/me', { token: u.tokens.accessToken })).status).toBe(200);
    w.clock.advance(60_001);
    try {
      const r = await w.req('GET', '/v1/me', { token: u.tokens.accessToken });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toContain('invalid_token');
    } finally {
      w.clock.reset();
    }
  });
});

describe('refresh', () => {
  it('rotates on every use: the new pair works, the old access token stays valid until it expires', async () => {
    const u = await w.user();
    const r1 = await refresh(u.tokens.refreshToken);
    expect(r1.status).toBe(200);
    expect(r1.body.refreshToken).not.toBe(u.tokens.refreshToken);
    expect(r1.body.accessToken).not.toBe(u.tokens.accessToken);
    expect((await w.req('GET', '/v1/me', { token: r1.body.accessToken })).status).toBe(200);
    expect((await w.req('GET', '/v1/me', { token: u.tokens.accessToken })).status).toBe(200);
    const r2 = await refresh(r1.body.refreshToken);
    expect(r2.status).toBe(200);
    expect(r2.body.refreshToken).not.toBe(r1.body.refreshToken);
  });

  it('an immediate retry (≤ 10 s) of a spent refresh token returns the same new pair', async () => {
    const u = await w.user();
    const r1 = await refresh(u.tokens.refreshToken);
    w.clock.advance(9_000);
    try {
      const again = await refresh(u.tokens.refreshToken);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(r1.body);
      expect((await w.req('GET', '/v1/me', { token: again.body.accessToken })).status).toBe(200);
    } finally {
      w.clock.reset();
    }
  });

  it('reuse after the grace window revokes the whole family', async () => {
    const u = await w.user();
    const r1 = await refresh(u.tokens.refreshToken);
    // both access tokens just verified (the server may remember them a moment): revocation must still win
    expect((await w.req('GET', '/v1/me', { token: u.tokens.accessToken })).status).toBe(200);
    expect((await w.req('GET', '/v1/me', { token: r1.body.accessToken })).status).toBe(200);
    w.clock.advance(11_000);
    try {
      const reuse = await refresh(u.tokens.refreshToken);
      expect(reuse.status).toBe(401);
      expect(reuse.body.code).toBe('unauthorized');
      // the thief's and the owner's tokens of that family are all dead now
      expect((await refresh(r1.body.refreshToken)).status).toBe(401);
      expect((await w.req('GET', '/v1/me', { token: r1.body.accessToken })).status).toBe(401);
      expect((await w.req('GET', '/v1/me', { token: u.tokens.accessToken })).status).toBe(401);
      // another session of the same user survives
      const other = await login(u.email, u.password);
      expect((await w.req('GET', '/v1/me', { token: other.body.accessToken })).status).toBe(200);
    } finally {
      w.clock.reset();
    }
  });

  it('reuse of a spent token whose successor was already used revokes the family, even within 10 s', async () => {
    const u = await w.user();
    const r1 = await refresh(u.tokens.refreshToken);
    const r2 = await refresh(r1.body.refreshToken);
    expect(r2.status).toBe(200);
    expect((await refresh(u.tokens.refreshToken)).status).toBe(401);
    expect((await refresh(r2.body.refreshToken)).status).toBe(401);
  });

  it('401 for unknown or expired refresh tokens', async () => {
    expect((await refresh('tpr_unknown')).status).toBe(401);
    const u = await w.user();
    w.clock.advance(31 * 24 * 3600_000);
    try {
      expect((await refresh(u.tokens.refreshToken)).status).toBe(401);
    } finally {
      w.clock.reset();
    }
  });
});

describe('logout', () => {
  it('204 and revokes the family (access and refresh tokens)', async () => {
    const u = await w.user();
    expect((await w.req('GET', '/v1/me', { token: u.tokens.accessToken })).status).toBe(200);
    const r = await w.req('POST', '/v1/auth/logout', { token: u.tokens.accessToken });
    expect(r.status).toBe(204);
    expect((await w.req('GET', '/v1/me', { token: u.tokens.accessToken })).status).toBe(401);
    expect((await refresh(u.tokens.refreshToken)).status).toBe(401);
  });
});
