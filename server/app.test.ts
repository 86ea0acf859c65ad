import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from './app';
import { setupWallet, uniq, type TestWallet } from '../tests/helpers/server-app';
import { DEFAULT_CONFIG } from '../core/rules';

let w: TestWallet;
beforeAll(async () => {
  w = await setupWallet();
});
afterAll(() => w.close());

describe('meta', () => {
  it('health names the database', async () => {
    const r = await w.req('GET', '/v1/health');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      status: 'ok',
      db: process.env.WALLET_TEST_DB === 'postgres' ? 'postgres' : 'pglite',
    });
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('config publishes the rules', async () => {
    const r = await w.req('GET', '/v1/config');
    // The published values themselves are pinned in core/rules.test.ts; the server adds its sign-up rules and
    // how it takes money (the test wallet runs in the sandbox without Stripe: instant top-ups).
    expect(r.body).toEqual({
      ...DEFAULT_CONFIG,
      accounts: { passwordMinLength: 10, passwordMaxLength: 200, displayNameMaxLength: 80 },
      topUps: { method: 'instant', minCents: 500, maxCents: 50_000 },
    });
  });

  it('serves an OpenAPI 3.1 document of every route', async () => {
    const r = await w.req('GET', '/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.paths).sort()).toEqual([
      '/v1/accounts',
      '/v1/auth/login',
      '/v1/auth/logout',
      '/v1/auth/refresh',
      '/v1/config',
      '/v1/health',
      '/v1/me',
      '/v1/me/top-ups',
      '/v1/me/x-account',
      '/v1/me/x-link',
      '/v1/payments',
      '/v1/payments/{id}',
      '/v1/payments/{id}/cancel',
      '/v1/payments/{id}/confirm',
      '/v1/recipients/{handle}',
      '/v1/webhooks/stripe',
      '/v1/webhooks/x',
      '/v1/x/callback',
    ]);
    expect(r.body.components.schemas.Payment.properties.amountCents.type).toBe('integer');
  });

  it('unknown routes are problem+json 404', async () => {
    const r = await w.req('GET', '/v1/nope');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(r.body).toMatchObject({ status: 404, code: 'not_found', title: 'Not found' });
    expect(r.body.type).toMatch(/^https:\/\//);
  });

  it('refuses bodies over 64 KiB with 413', async () => {
    const r = await w.req('POST', '/v1/accounts', {
      body: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(MAX_BODY_BYTES), displayName: 'x' }),
    });
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('payload_too_large');
  });

  it('refuses a body whose Content-Length is over 64 KiB with 413, and takes one just under it', async () => {
    const body = (n: number) => JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(n), displayName: 'x' });
    const over = body(MAX_BODY_BYTES);
    const r = await w.req('POST', '/v1/accounts', {
      body: over,
      headers: { 'content-length': String(Buffer.byteLength(over)) },
    });
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('payload_too_large');
    const under = body(MAX_BODY_BYTES - 200);
    const ok = await w.req('POST', '/v1/accounts', {
      body: under,
      headers: { 'content-length': String(Buffer.byteLength(under)) },
    });
    // Read and validated (the password is too long for the rules), not refused for its size.
    expect(ok.body.code).not.toBe('payload_too_large');
    expect(ok.status).toBe(400);
  });

  it('malformed JSON is a 400 problem', async () => {
    const r = await w.req('POST', '/v1/auth/login', { body: '{"email":' });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('invalid_request');
  });
});

describe('sign-up', () => {
  it('creates an account with a zero balance', async () => {
    const email = `${uniq('e')}@Test.example`;
    const r = await w.req('POST', '/v1/accounts', {
      body: { email, password: 'long enough pw', displayName: 'Zoé', kind: 'association' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      email: email.toLowerCase(),
      displayName: 'Zoé',
      kind: 'association',
      xHandle: null,
      xUserId: null,
      balance: { availableCents: 0, heldCents: 0 },
      currency: 'EUR',
    });
    expect(JSON.stringify(r.body)).not.toMatch(/password|scrypt/);
  });

  it('rejects short passwords, bad emails and unknown kinds (400) and duplicates (409)', async () => {
    const email = `${uniq('e')}@test.example`;
    const bad = [
      { email, password: 'short', displayName: 'A' },
      { email: 'not-an-email', password: 'long enough pw', displayName: 'A' },
      { email, password: 'long enough pw', displayName: 'A', kind: 'system' },
      { email, password: 'long enough pw', displayName: '' },
    ];
    for (const body of bad) {
      const r = await w.req('POST', '/v1/accounts', { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe('invalid_request');
    }
    expect(
      (await w.req('POST', '/v1/accounts', { body: { email, password: 'long enough pw', displayName: 'A' } }))
        .status,
    ).toBe(201);
    const dup = await w.req('POST', '/v1/accounts', {
      body: { email: email.toUpperCase(), password: 'long enough pw', displayName: 'B' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('conflict');
  });
});

describe('authentication', () => {
  it('protected routes need a valid bearer token', async () => {
    for (const [method, path] of [
      ['GET', '/v1/me'],
      ['GET', '/v1/payments'],
      ['GET', '/v1/payments/x'],
      ['POST', '/v1/payments'],
      ['GET', '/v1/recipients/alice'],
      ['POST', '/v1/me/top-ups'],
      ['GET', '/v1/me/top-ups'],
      ['POST', '/v1/me/x-account'],
      ['POST', '/v1/auth/logout'],
    ] as const) {
      const none = await w.req(method, path);
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(none.body.code).toBe('unauthorized');
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const bad = await w.req(method, path, { token: 'tpa_not-a-real-token-at-all' });
      expect(bad.status).toBe(401);
    }
  });

  it('GET /v1/me returns the account and balances', async () => {
    const u = await w.user({ balanceCents: 1234 });
    const me = await w.me(u);
    expect(me).toMatchObject({ id: u.id, email: u.email, xHandle: u.handle, xUserId: u.xUserId });
    expect(me.balance).toEqual({ availableCents: 1234, heldCents: 0 });
  });
});
