/** The server as a process would run it: startWalletServer over real HTTP on an ephemeral port. */
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWalletServer, type WalletServer } from './start';
import { createTestDatabase } from '../tests/helpers/server-app';
import { tweetCreateEvents, tweetObject } from '../tests/helpers/x-payload';
import { xSignature } from './x/signature';

const SECRET = 'start-test-secret';
let server: WalletServer;
let drop = async () => {};
/** Holds idempotent requests between their claim and their execution while set (see the close() test). */
let hold: ((key: string) => Promise<void>) | undefined;

beforeAll(async () => {
  let databaseUrl: string | undefined;
  if (process.env.WALLET_TEST_DB === 'postgres') {
    const made = await createTestDatabase();
    databaseUrl = made.url;
    drop = made.drop;
  }
  server = await startWalletServer({
    port: 0,
    dataDir: 'memory://',
    ...(databaseUrl ? { databaseUrl } : {}),
    seed: 'server/seed/demo.json',
    sandbox: true,
    xConsumerSecret: SECRET,
    sweepIntervalMs: 50,
    log: false,
    scryptN: 1024,
    pgliteTemplateDir: path.join(os.tmpdir(), 'tweetez-payez-test'),
    beforeExecute: async (key) => hold?.(key),
  });
});
afterAll(async () => {
  await server.close();
  await drop();
});

const api = async (path: string, init: RequestInit & { token?: string } = {}) => {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.body) headers.set('content-type', 'application/json');
  const res = await fetch(server.url + path, { ...init, headers });
  // The answers of the API under test, read field by field as the assertions need them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body: any = await res.json().catch(() => null);
  return { status: res.status, headers: res.headers, body };
};
const login = async (email: string) =>
  (
    await api('/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email, password: 'demo-password' }),
    })
  ).body.accessToken as string;

describe('startWalletServer', () => {
  it('listens on an ephemeral port of 127.0.0.1 and loads the demo seed', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    const token = await login('me@demo.test');
    const me = await api('/v1/me', { token });
    expect(me.body).toMatchObject({
      xHandle: 'tp_me',
      xUserId: '900000000000000001',
      balance: { availableCents: 100_000 },
    });
    const hugo = await api('/v1/recipients/hugo', { token });
    expect(hugo.body).toMatchObject({ registered: true, kind: 'business', feeBps: 150 });
    const chloe = await api('/v1/recipients/chloe_fr', { token });
    expect(chloe.body).toMatchObject({ registered: true, kind: 'association', limitCents: 50_000 });
  });

  it('a tweet delivered over HTTP, signed as X would, completes the payment', async () => {
    const token = await login('me@demo.test');
    const created = await api('/v1/payments', {
      method: 'POST',
      token,
      headers: { 'idempotency-key': 'start-test-1' },
      body: JSON.stringify({ recipientHandle: 'alice', amountCents: 500, currency: 'EUR', mode: 'tweet' }),
    });
    expect(created.status).toBe(201);
    const body = JSON.stringify(
      tweetCreateEvents('100000000000000009', [
        tweetObject({
          tweetId: '1870000000000000001',
          text: created.body.tweetText,
          userId: '900000000000000001',
          handle: 'tp_me',
          mentions: [
            { handle: 'SMoneyfr', userId: '100000000000000009' },
            { handle: 'alice', userId: '100000000000000001' },
          ],
        }),
      ]),
    );
    const hook = await fetch(`${server.url}/v1/webhooks/x`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-twitter-webhooks-signature': xSignature(SECRET, body),
      },
      body,
    });
    expect(hook.status).toBe(200);
    const p = await api(`/v1/payments/${created.body.id}`, { token });
    expect(p.body.status).toBe('completed');
  });

  it('close() lets in-flight requests finish, then refuses connections', async () => {
    const token = await login('me@demo.test');
    // A top-up held inside the server (claimed, not yet executed): in flight for as long as we want.
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    hold = async (key) => {
      if (key !== 'start-test-close') return;
      entered();
      await gate;
    };
    const inflight = api('/v1/me/top-ups', {
      method: 'POST',
      token,
      headers: { 'idempotency-key': 'start-test-close' },
      body: JSON.stringify({ amountCents: 700 }),
    });
    await inside;
    const closed = server.close();
    await expect(fetch(`${server.url}/v1/health`)).rejects.toThrow(); // no new connection once closing
    release();
    expect((await inflight).status).toBe(201);
    await closed;
  });
});
