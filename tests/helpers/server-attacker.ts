/**
 * Attacker's harness: an in-process wallet (PGlite in memory, demo seed, sandbox, a known X secret) with
 * captured logs, a request helper, and ledger snapshots to prove that a refused request stored nothing.
 */
import path from 'node:path';
import { expect } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/rules';
import { ERROR_CODES } from '../../core/wallet-types';
import { createApp, type WalletApp } from '../../server/app';
import type { Deps } from '../../server/deps';
import { jsonLogger } from '../../server/log';
import { applySeed, readSeedFile } from '../../server/seed';
import { openTestDb } from './server-app';
import { tweetCreateEvents, tweetObject, type TweetInput } from './x-payload';
import { xSignature } from '../../server/x/signature';

export const SECRET = 'red-team-x-consumer-secret';
export const BOT_ID = '100000000000000009';
export const PASSWORD = 'demo-password';
export const ME = { email: 'me@demo.test', handle: 'tp_me', xUserId: '900000000000000001' };
export const ALICE = { email: 'alice@demo.test', handle: 'alice', xUserId: '100000000000000001' };
/** The codes a refused request may carry: every problem code but `internal` (a 5xx). */
export const PROBLEM_CODES = ERROR_CODES.filter((code) => code !== 'internal');

export interface Reply {
  status: number;
  type: string;
  body: Record<string, unknown> | null;
  text: string;
}

export interface RedWallet {
  app: WalletApp;
  deps: Deps;
  /** Closes (and on PostgreSQL drops) the database. */
  close(): Promise<void>;
  /** Every log line written so far. */
  logs: string[];
  now: { ms: number };
  call(
    method: string,
    url: string,
    opts?: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> },
  ): Promise<Reply>;
  login(email: string): Promise<{ accessToken: string; refreshToken: string }>;
  /** Balances, payments and transfers: what a refused request must leave untouched. */
  snapshot(): Promise<string>;
  /** Ledger invariants: no negative user balance, each balance equals its transfers, transfers sum to zero. */
  audit(): Promise<void>;
  deliver(body: unknown, signature?: string | null): Promise<Reply>;
  tweet(t: TweetInput): Record<string, unknown>;
}

export async function redWallet(opts: { xConsumerSecret?: string | null } = {}): Promise<RedWallet> {
  const now = { ms: Date.UTC(2026, 10, 23, 9, 0, 0) };
  const logs: string[] = [];
  const { db, drop } = await openTestDb();
  const deps: Deps = {
    db,
    config: { ...DEFAULT_CONFIG },
    clock: () => new Date(now.ms),
    sandbox: true,
    ...(opts.xConsumerSecret !== null && { xConsumerSecret: opts.xConsumerSecret ?? SECRET }),
    log: jsonLogger((line) => logs.push(line)),
    scryptN: 16,
  };
  await applySeed(deps, readSeedFile(path.resolve('server/seed/demo.json')));
  const wallet = { app: createApp(deps), deps, close: drop };

  const call: RedWallet['call'] = async (method, url, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined = o.raw;
    if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const res = await wallet.app.request(url, { method, headers, ...(body !== undefined && { body }) });
    const text = await res.text();
    let parsed: Record<string, unknown> | null;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = null;
    }
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: parsed, text };
  };

  return {
    ...wallet,
    logs,
    now,
    call,
    async login(email) {
      const r = await call('POST', '/v1/auth/login', { body: { email, password: PASSWORD } });
      expect(r.status, r.text).toBe(200);
      return r.body as { accessToken: string; refreshToken: string };
    },
    async snapshot() {
      const q = wallet.deps.db.query.bind(wallet.deps.db);
      const accounts = await q(`SELECT id, balance_cents FROM accounts ORDER BY id`);
      const payments = await q(`SELECT id, status, amount_cents FROM payments ORDER BY id`);
      const transfers = await q(`SELECT count(*)::int AS n FROM transfers`);
      return JSON.stringify({ accounts, payments, transfers });
    },
    async audit() {
      const q = wallet.deps.db.query.bind(wallet.deps.db);
      const negative = await q(`SELECT id FROM accounts WHERE kind <> 'system' AND balance_cents < 0`);
      expect(negative).toEqual([]);
      const drift = await q(
        `SELECT a.id FROM accounts a WHERE a.kind <> 'system' AND a.balance_cents <>
           COALESCE((SELECT sum(amount_cents) FROM transfers WHERE credit_account_id = a.id), 0)
         - COALESCE((SELECT sum(amount_cents) FROM transfers WHERE debit_account_id = a.id), 0)`,
      );
      expect(drift).toEqual([]);
    },
    async deliver(body, signature) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const sig = signature === undefined ? xSignature(SECRET, raw) : signature;
      if (sig !== null) headers['x-twitter-webhooks-signature'] = sig;
      return call('POST', '/v1/webhooks/x', { raw, headers });
    },
    tweet(t) {
      return tweetCreateEvents(BOT_ID, [tweetObject(t)]);
    },
  };
}

/** A clean refusal: 4xx, RFC 9457 problem+json with a known code and the same status in the body. */
export function expectProblem(r: Reply, what: string, status?: number): void {
  expect(r.status, `${what} → ${r.status} ${r.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(r.status, `${what} → ${r.status} ${r.text.slice(0, 300)}`).toBeLessThan(500);
  if (status !== undefined) expect(r.status, what).toBe(status);
  expect(r.type, what).toContain('application/problem+json');
  expect(PROBLEM_CODES, what).toContain(r.body?.code);
  expect(r.body?.status, what).toBe(r.status);
  expect(typeof r.body?.detail, what).toBe('string');
}
