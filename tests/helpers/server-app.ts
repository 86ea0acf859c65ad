/**
 * Server test harness: one wallet per test file (PGlite from the run's template, or a fresh PostgreSQL
 * database named after the file when WALLET_TEST_DB=postgres), a movable clock, and helpers that make
 * uniquely named users, so tests never need to reset data. `close()` checks the ledger invariants, then
 * closes (and on PostgreSQL drops) the database.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject, it } from 'vitest';
import type { Me, Payment, TokenPair, WalletConfig } from '../../core/wallet-types';
import { DEFAULT_CONFIG } from '../../core/rules';
import { createApp, type WalletApp } from '../../server/app';
import { openDb, type Db } from '../../server/db';
import type { Deps } from '../../server/deps';
import { checkInvariants } from '../../server/ledger';
import { silentLogger, type Logger } from '../../server/log';
import { batchingEnabled, PaymentBatcher, type BatcherOptions } from '../../server/payments/batch';
import { xSignature } from '../../server/x/signature';
import { startFakeX, type FakeX } from '../fake-x/server';

export const X_SECRET = 'test-consumer-secret';
export const BOT_ID = '4242424242';

export interface Clock {
  now(): Date;
  advance(ms: number): void;
  reset(): void;
}

export interface User {
  id: string;
  email: string;
  password: string;
  handle: string;
  xUserId: string;
  tokens: TokenPair;
  auth: Record<string, string>;
}

export interface TestWallet {
  app: WalletApp;
  deps: Deps;
  db: Db;
  clock: Clock;
  /** JSON request through app.request(); `token` sets the bearer, `key` the Idempotency-Key. */
  req(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; key?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read any JSON shape
  /** A new user with a unique email, handle and X user id, signed in, topped up with `balanceCents`. */
  user(opts?: {
    balanceCents?: number;
    kind?: Me['kind'];
    linked?: boolean;
    handle?: string;
    xUserId?: string;
  }): Promise<User>;
  pay(
    payer: User,
    body: Partial<{
      recipientHandle: string;
      amountCents: number;
      mode: 'tweet' | 'private';
      message: string;
    }>,
  ): Promise<Payment>;
  me(u: User): Promise<Me>;
  /** Signs in again (after moving the clock past the access token's 15 minutes); updates `u` in place. */
  login(u: User): Promise<User>;
  /** Delivers `body` to the X webhook, signed with the test secret unless `signature` is given (null: unsigned). */
  xWebhook(body: string, signature?: string | null): ReturnType<TestWallet['req']>;
  close(): Promise<void>;
}

let seq = 0;
export const uniq = (prefix = 'u') =>
  `${prefix}${randomBytes(5).toString('hex')}${(seq++).toString(36)}`.slice(0, 15);
export const xid = () => String(1e15 + Math.floor(Math.random() * 8e15));

/** A new, empty PostgreSQL database on the DATABASE_URL server; `drop` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('WALLET_TEST_DB=postgres needs DATABASE_URL');
  const name = `wallet_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function openTestDb(): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (process.env.WALLET_TEST_DB === 'postgres') {
    const made = await createTestDatabase();
    const db = await openDb({ databaseUrl: made.url });
    return {
      db,
      drop: async () => {
        await db.close();
        await made.drop();
      },
    };
  }
  const file = inject('pgliteTemplate');
  const template = fs.existsSync(file) ? new Blob([fs.readFileSync(file)]) : undefined;
  const db = await openDb({ dataDir: 'memory://', ...(template ? { pgliteTemplate: template } : {}) });
  return { db, drop: () => db.close() };
}

export async function setupWallet(
  opts: {
    config?: Partial<WalletConfig>;
    sandbox?: boolean;
    log?: Logger;
    beforeExecute?: Deps['beforeExecute'];
    stripe?: Deps['stripe'];
    topUpLimits?: Deps['topUpLimits'];
    /** Group commit of new payments: on by default (WALLET_BATCH=off turns it off), with these seams. */
    batch?: BatcherOptions | false;
  } = {},
): Promise<TestWallet> {
  const { db, drop } = await openTestDb();
  let offset = 0;
  const clock: Clock = {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
    reset: () => {
      offset = 0;
    },
  };
  const deps: Deps = {
    db,
    config: { ...DEFAULT_CONFIG, ...opts.config },
    clock: () => clock.now(),
    sandbox: opts.sandbox ?? true,
    xConsumerSecret: X_SECRET,
    log: opts.log ?? silentLogger,
    scryptN: 16,
    ...(opts.beforeExecute ? { beforeExecute: opts.beforeExecute } : {}),
    ...(opts.stripe ? { stripe: opts.stripe } : {}),
    ...(opts.topUpLimits ? { topUpLimits: opts.topUpLimits } : {}),
    ...(opts.batch === false || (!opts.batch && !batchingEnabled(process.env.WALLET_BATCH))
      ? {}
      : { batcher: new PaymentBatcher(db, opts.batch) }),
  };
  const app = createApp(deps);

  const req: TestWallet['req'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.body !== undefined) headers['content-type'] ??= 'application/json';
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.key) headers['idempotency-key'] = o.key;
    const res = await app.request(path, {
      method,
      headers,
      ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body, headers: res.headers };
  };

  const must = (r: { status: number; body: unknown }, want: number, what: string) => {
    if (r.status !== want) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  const wallet: TestWallet = {
    app,
    deps,
    db,
    clock,
    req,
    async user(o = {}) {
      const handle = o.handle ?? uniq();
      const email = `${uniq('e')}@test.example`;
      const password = 'correct horse battery';
      must(
        await req('POST', '/v1/accounts', {
          body: { email, password, displayName: `User ${handle}`, kind: o.kind ?? 'person' },
        }),
        201,
        'sign-up',
      );
      const tokens = must(
        await req('POST', '/v1/auth/login', { body: { email, password } }),
        200,
        'login',
      ) as TokenPair;
      const xUserId = o.xUserId ?? xid();
      if (o.linked !== false) {
        must(
          await req('POST', '/v1/me/x-account', { token: tokens.accessToken, body: { handle, xUserId } }),
          200,
          'link',
        );
      }
      if (o.balanceCents) {
        let left = o.balanceCents;
        while (left > 0) {
          const n = Math.min(left, 100_000);
          must(
            await req('POST', '/v1/me/top-ups', {
              token: tokens.accessToken,
              key: uniq('k'),
              body: { amountCents: n },
            }),
            201,
            'top-up',
          );
          left -= n;
        }
      }
      const me = must(await req('GET', '/v1/me', { token: tokens.accessToken }), 200, 'me') as Me;
      return {
        id: me.id,
        email,
        password,
        handle,
        xUserId,
        tokens,
        auth: { authorization: `Bearer ${tokens.accessToken}` },
      };
    },
    async pay(payer, body) {
      const r = await req('POST', '/v1/payments', {
        token: payer.tokens.accessToken,
        key: uniq('k'),
        body: { currency: 'EUR', mode: 'private', amountCents: 100, ...body },
      });
      return must(r, 201, 'payment') as Payment;
    },
    async me(u) {
      return must(await req('GET', '/v1/me', { token: u.tokens.accessToken }), 200, 'me') as Me;
    },
    async login(u) {
      u.tokens = must(
        await req('POST', '/v1/auth/login', { body: { email: u.email, password: u.password } }),
        200,
        'login',
      ) as TokenPair;
      u.auth = { authorization: `Bearer ${u.tokens.accessToken}` };
      return u;
    },
    xWebhook(body, signature = xSignature(X_SECRET, body)) {
      return req('POST', '/v1/webhooks/x', {
        body,
        headers: signature === null ? {} : { 'x-twitter-webhooks-signature': signature },
      });
    },
    async close() {
      try {
        const problems = await checkInvariants(db);
        if (problems.length) throw new Error(`ledger invariants violated:\n${problems.join('\n')}`);
      } finally {
        await drop();
      }
    },
  };
  return wallet;
}

/**
 * A test that exists only in the PostgreSQL run (what it checks needs several connections): registered there
 * alone, so that neither run reports it skipped.
 */
export function itOnPostgres(name: string, fn: () => Promise<void>, timeout?: number): void {
  if (process.env.WALLET_TEST_DB === 'postgres') it(name, fn, timeout);
}

/** A wallet and a local stand-in for X that knows the bot's account (@SMoneyfr); `close()` closes both. */
export async function setupWalletAndX(): Promise<{ w: TestWallet; fx: FakeX; close: () => Promise<void> }> {
  const [w, fx] = await Promise.all([setupWallet(), startFakeX()]);
  fx.users.set(BOT_ID, { id: BOT_ID, username: 'SMoneyfr' });
  return { w, fx, close: async () => void (await Promise.all([fx.close(), w.close()])) };
}
