/**
 * Starts the wallet server: as a library (`startWalletServer`, used by tests, benchmarks and `main.ts`)
 * or through `npm run server`. Opens and migrates the database, loads the seed, serves the app and runs
 * the sweeper; `close()` stops accepting, lets in-flight requests finish, stops the sweeper and closes the
 * database.
 */
import { serve, type ServerType } from '@hono/node-server';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DEFAULT_CONFIG } from '../core/rules';
import type { WalletConfig } from '../core/wallet-types';
import { createApp, type WalletApp } from './app';
import { openDb, type Db } from './db';
import { MIGRATIONS } from './db/migrations';
import { releaseOrphanClaims } from './idempotency';
import type { Deps } from './deps';
import { seedBotTokens, startReplyWorker, type ReplyWorkerOptions } from './x/bot';
import { X_API_URL, X_AUTHORIZE_URL, type XConfig } from './x/config';
import { startStreamIngest, type StreamOptions } from './x/stream';
import { jsonLogger, silentLogger } from './log';
import { PaymentBatcher } from './payments/batch';
import { applySeed, readSeedFile, type SeedFile } from './seed';
import { createStripeClient } from './stripe';
import { startSweeper, sweep, type SweepResult } from './sweeper';

export interface WalletServerOptions {
  /** 0 = an ephemeral port (default 8787). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** PGlite folder (default ./.data/wallet); `memory://` for a throw-away database. Ignored with databaseUrl. */
  dataDir?: string;
  /** PostgreSQL connection string: use PostgreSQL instead of PGlite. */
  databaseUrl?: string;
  /** Seed file path or contents, loaded when the database has no user account. */
  seed?: string | SeedFile;
  /** Enables sandbox-only endpoints (X account link without OAuth, card top-ups). */
  sandbox?: boolean;
  /** X app consumer secret (webhook CRC and signatures); without it the webhook refuses everything. */
  xConsumerSecret?: string;
  /**
   * Card top-ups through Stripe Checkout (`STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET`, `PUBLIC_URL`, and
   * `STRIPE_API_URL` to reach a stand-in). Without it: instant top-ups in the sandbox, none otherwise.
   */
  stripe?: { secretKey: string; webhookSecret: string; publicUrl: string; apiUrl?: string };
  /** Bounds of one card top-up, integer cents (default 5 € to 500 €). */
  topUpLimits?: { minCents: number; maxCents: number };
  /** How to reach X ("Sign in with X", bot replies, stream); unset fields take X's real addresses. */
  x?: Partial<XConfig>;
  /** The bot's X user id (its own posts never pay, its account is never linkable). */
  xBotUserId?: string;
  /** Pull mode: read payment posts from X's Filtered Stream (needs `x` and a bearer token). */
  stream?: StreamOptions;
  /** The bot's reply worker (runs when the bot has tokens); intervals for tests. */
  replies?: ReplyWorkerOptions;
  /** Sweeper period (expiry, event recovery); default 5000 ms; 0 disables it. */
  sweepIntervalMs?: number;
  /** JSON logs to stdout (default true). */
  log?: boolean;
  /** "Now" (tests move it forward to expire payments). */
  clock?: () => Date;
  /** Overrides of the published config (e.g. a shorter confirmMinutes in a demo). */
  config?: Partial<WalletConfig>;
  /** scrypt cost for new password hashes (default 2^15; tests use less). */
  scryptN?: number;
  /**
   * Tests: a file caching a freshly migrated PGlite data dir. Loaded when present (starts ~3× faster than
   * initdb), written after the migrations when absent. Named after the migrations, so never stale.
   */
  pgliteTemplateDir?: string;
  /** Group commit of new payments (server/payments/batch.ts); default true. */
  batch?: boolean;
  /** Tests: called between an idempotent request's claim and its execution (to hold a request in flight). */
  beforeExecute?: Deps['beforeExecute'];
}

export interface WalletServer {
  url: string;
  port: number;
  /** Which database it runs on. */
  db: Db['kind'];
  /** One sweeper pass now (expiry, pending events), e.g. after moving the clock. */
  sweep(): Promise<SweepResult>;
  close(): Promise<void>;
}

export interface WalletInstance {
  app: WalletApp;
  deps: Deps;
  close(): Promise<void>;
}

/** Opens the database and builds the app without listening (tests use `app.request()`). */
export async function createWallet(opts: WalletServerOptions = {}): Promise<WalletInstance> {
  const template =
    !opts.databaseUrl && opts.pgliteTemplateDir ? templateFile(opts.pgliteTemplateDir) : undefined;
  const cached = template && fs.existsSync(template) ? new Blob([fs.readFileSync(template)]) : undefined;
  const db = await openDb({
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(cached ? { pgliteTemplate: cached } : {}),
  });
  if (template && !cached && db.dump) {
    const tmp = `${template}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await (await db.dump()).arrayBuffer()));
    fs.renameSync(tmp, template); // atomic: a parallel reader never sees half a file
  }
  const deps: Deps = {
    db,
    config: { ...DEFAULT_CONFIG, ...opts.config },
    clock: opts.clock ?? (() => new Date()),
    sandbox: opts.sandbox ?? false,
    log: opts.log === false ? silentLogger : jsonLogger(),
    ...(opts.xConsumerSecret ? { xConsumerSecret: opts.xConsumerSecret } : {}),
    ...(opts.scryptN ? { scryptN: opts.scryptN } : {}),
    ...(opts.stripe
      ? {
          stripe: {
            client: createStripeClient(opts.stripe.secretKey, opts.stripe.apiUrl),
            webhookSecret: opts.stripe.webhookSecret,
            publicUrl: opts.stripe.publicUrl.replace(/\/+$/, ''),
          },
        }
      : {}),
    ...(opts.topUpLimits ? { topUpLimits: opts.topUpLimits } : {}),
    ...(opts.batch === false ? {} : { batcher: new PaymentBatcher(db) }),
    ...(opts.xBotUserId ? { xBotUserId: opts.xBotUserId } : {}),
    ...(opts.x
      ? {
          x: {
            apiUrl: X_API_URL,
            authorizeUrl: X_AUTHORIZE_URL,
            timeoutMs: 10_000,
            publicUrl: '',
            ...opts.x,
          },
        }
      : {}),
    ...(opts.beforeExecute ? { beforeExecute: opts.beforeExecute } : {}),
  };
  try {
    await releaseOrphanClaims(db);
    if (opts.seed) await applySeed(deps, typeof opts.seed === 'string' ? readSeedFile(opts.seed) : opts.seed);
  } catch (err) {
    await db.close();
    throw err;
  }
  return { app: createApp(deps), deps, close: () => db.close() };
}

export function templateFile(dir: string): string {
  const hash = createHash('sha256')
    .update(MIGRATIONS.map((m) => m.sql).join('\n'))
    .digest('hex')
    .slice(0, 16);
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `wallet-pglite-${hash}.tar`);
}

export async function startWalletServer(opts: WalletServerOptions = {}): Promise<WalletServer> {
  const wallet = await createWallet(opts);
  const { deps } = wallet;
  let server: ServerType;
  try {
    server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve(
        { fetch: wallet.app.fetch, port: opts.port ?? 8787, hostname: opts.host ?? '127.0.0.1' },
        () => resolve(s),
      );
      s.once('error', reject);
    });
  } catch (err) {
    await wallet.close();
    throw err;
  }
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  if (deps.x && !deps.x.publicUrl) deps.x.publicUrl = url; // no PUBLIC_URL: this address
  const interval = opts.sweepIntervalMs ?? 5000;
  const stopSweeper = interval > 0 ? startSweeper(deps, interval) : async () => undefined;
  // The bot replies when it has tokens (seeded now from the configuration, or rotated earlier).
  const botReady =
    deps.x &&
    ((await seedBotTokens(deps)) ||
      (await deps.db.query(`SELECT 1 FROM x_bot_tokens WHERE id = 1`)).length > 0);
  const stopReplies = botReady ? startReplyWorker(deps, opts.replies) : async () => undefined;
  const stream = deps.x && opts.stream ? startStreamIngest(deps, opts.stream) : undefined;
  deps.log.info('wallet server listening', {
    url,
    db: deps.db.kind,
    sandbox: deps.sandbox,
    batch: deps.batcher ? deps.batcher.max : 'off',
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    port: addr.port,
    db: deps.db.kind,
    sweep: () => sweep(deps),
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve()); // stops accepting; resolves when in-flight requests are done
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        await stream?.stop();
        await stopSweeper();
        await stopReplies();
        if (deps.batcher) deps.log.info('payment batches', deps.batcher.stats());
        await wallet.close();
        deps.log.info('wallet server stopped', {});
      })();
      return closing;
    },
  };
}
