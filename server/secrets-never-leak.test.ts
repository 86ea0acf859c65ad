/**
 * Attacks: stolen tokens and leaked secrets on the server. A stolen refresh token used after its owner
 * (or the owner after the thief) revokes the whole family; no token, password or webhook secret ever appears in a
 * log line or an error answer, including a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALICE,
  expectProblem,
  ME,
  PASSWORD,
  redWallet,
  SECRET,
  type RedWallet,
} from '../tests/helpers/server-attacker';

let w: RedWallet;
/** Every secret this file handles: none may show up in a log or an error answer. */
const secrets = new Set<string>([PASSWORD, SECRET]);
/** Error answers (a success may carry the caller's own tokens; an error never may). */
const answers: string[] = [];

async function login(email: string) {
  const pair = await w.login(email);
  secrets.add(pair.accessToken).add(pair.refreshToken);
  return pair;
}
async function refresh(refreshToken: string) {
  const r = await w.call('POST', '/v1/auth/refresh', { body: { refreshToken } });
  if (r.status >= 400) answers.push(r.text);
  if (r.status === 200) {
    const pair = r.body as { accessToken: string; refreshToken: string };
    secrets.add(pair.accessToken).add(pair.refreshToken);
  }
  return r;
}
const me = async (accessToken: string) => {
  const r = await w.call('GET', '/v1/me', { token: accessToken });
  answers.push(r.text);
  return r;
};

beforeAll(async () => {
  w = await redWallet();
});
afterAll(() => w.close());

describe('red team: stolen tokens and leaked secrets (server)', () => {
  it('should revoke the family when a thief refreshes first and the owner refreshes later', async () => {
    const stolen = await login(ME.email);
    const thief = await refresh(stolen.refreshToken);
    expect(thief.status).toBe(200);
    const thiefPair = thief.body as { accessToken: string; refreshToken: string };
    expect((await me(thiefPair.accessToken)).status).toBe(200);
    w.now.ms += 60_000; // the owner's worker wakes up a minute later with the old refresh token
    expectProblem(await refresh(stolen.refreshToken), 'owner reuses the spent token', 401);
    // The whole family is dead: the thief's pair and the owner's access token.
    expectProblem(await refresh(thiefPair.refreshToken), "thief's next refresh", 401);
    expectProblem(await me(thiefPair.accessToken), "thief's access token", 401);
    expectProblem(await me(stolen.accessToken), "owner's access token", 401);
    // Other sessions of the same account are untouched.
    const other = await login(ME.email);
    expect((await me(other.accessToken)).status).toBe(200);
  });

  it('should revoke the family when the owner refreshed first and the thief replays the old token', async () => {
    const pair = await login(ALICE.email);
    const owner = await refresh(pair.refreshToken);
    expect(owner.status).toBe(200);
    const ownerPair = owner.body as { accessToken: string; refreshToken: string };
    w.now.ms += 11_000; // past the 10 s grace for an immediate retry
    expectProblem(await refresh(pair.refreshToken), 'thief replays', 401);
    expectProblem(await refresh(ownerPair.refreshToken), 'owner after the replay', 401);
    expectProblem(await me(ownerPair.accessToken), 'owner access after the replay', 401);
  });

  it('should revoke the family on logout, and a logged-out refresh token must not come back', async () => {
    const pair = await login(ME.email);
    const out = await w.call('POST', '/v1/auth/logout', { token: pair.accessToken });
    expect(out.status).toBe(204);
    expectProblem(await refresh(pair.refreshToken), 'refresh after logout', 401);
    expectProblem(await me(pair.accessToken), 'access after logout', 401);
  });

  it('should keep passwords, tokens and the webhook secret out of logs and error answers, even on a 500', async () => {
    // Failed sign-ins with the real password of another account, bad tokens, a signed webhook event.
    for (let i = 0; i < 7; i++) {
      const r = await w.call('POST', '/v1/auth/login', {
        body: { email: ALICE.email, password: `${PASSWORD}!${i}` },
      });
      answers.push(r.text);
      secrets.add(`${PASSWORD}!${i}`);
    }
    const pair = await login(ME.email);
    answers.push(
      (await w.call('GET', `/v1/payments?cursor=${pair.refreshToken}`, { token: pair.accessToken })).text,
    );
    answers.push(
      (await w.call('GET', `/v1/recipients/${pair.accessToken}`, { token: pair.accessToken })).text,
    );
    answers.push((await w.deliver(w.tweet({ tweetId: '77', text: 'hello', userId: '1', handle: 'x' }))).text);
    // A 500: the database goes away under a signed-in request.
    const broken = await redWallet();
    try {
      const p = await broken.login(ME.email);
      secrets.add(p.accessToken).add(p.refreshToken);
      const db = broken.deps.db;
      const { query, transaction } = db;
      const down = async (): Promise<never> => {
        throw new Error('Connection terminated unexpectedly');
      };
      Object.assign(db, { query: down, transaction: down });
      const r = await broken.call('GET', '/v1/me', { token: p.accessToken });
      Object.assign(db, { query, transaction });
      expect(r.status).toBe(500);
      expect(r.type).toContain('application/problem+json');
      expect(r.body?.code).toBe('internal');
      expect(r.text).not.toMatch(/pglite|postgres|select|stack|at [\w.]+ \(|\/work\//i);
      answers.push(r.text);
      const logged = broken.logs.join('\n');
      for (const s of secrets) expect(logged.includes(s), `secret in the broken server's logs`).toBe(false);
    } finally {
      await broken.close();
    }
    const logged = w.logs.join('\n');
    expect(w.logs.length).toBeGreaterThan(20);
    expect(logged).not.toMatch(/password|authorization|bearer|refreshToken|accessToken/i);
    for (const s of secrets) {
      const line = w.logs.find((l) => l.includes(s));
      expect(line, `a secret (${s.slice(0, 4)}…) is in the logs: ${line}`).toBeUndefined();
      for (const a of answers)
        expect(a.includes(s), `a secret (${s.slice(0, 4)}…) is in an answer: ${a}`).toBe(false);
    }
  });
});
