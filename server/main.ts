/**
 * `npm run server`: the wallet server from the command line.
 * Env: PORT (8787), HOST (127.0.0.1), DATABASE_URL (PostgreSQL; else PGlite in WALLET_DATA_DIR, default
 * ./.data/wallet, `memory://` for a throw-away one), WALLET_SEED or `--seed <file>`, WALLET_SANDBOX=1,
 * X_CONSUMER_SECRET, X_BOT_USER_ID, and the X variables of server/x/config.ts (X_CLIENT_ID, X_CLIENT_SECRET,
 * PUBLIC_URL, X_API_URL, X_AUTHORIZE_URL, X_TIMEOUT_MS, X_BOT_ACCESS_TOKEN, X_BOT_REFRESH_TOKEN), X_INGEST=stream
 * with X_BEARER_TOKEN (pull mode; its timings: see streamTimings below), WALLET_BATCH=off (each new payment in
 * its own statement instead of group commit); card top-ups: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET (both or neither, with PUBLIC_URL),
 * STRIPE_API_URL (default https://api.stripe.com), TOPUP_MIN_CENTS (500), TOPUP_MAX_CENTS (50000).
 * SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the database.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_TOPUP_MAX_CENTS, DEFAULT_TOPUP_MIN_CENTS } from '../core/rules';
import { batchingEnabled } from './payments/batch';
import { startWalletServer } from './start';
import { xConfigFromEnv } from './x/config';
import type { StreamOptions } from './x/stream';

const { values } = parseArgs({
  options: { seed: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log(
    'usage: tsx server/main.ts [--seed <file.json>] [--port <n>]   (see server/main.ts for the env)',
  );
  process.exit(0);
}

const env = process.env;
const port = Number(values.port ?? env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid port: ${values.port ?? env.PORT}`);
  process.exit(2);
}
const seed = values.seed ?? env.WALLET_SEED;

const stripeKey = env.STRIPE_SECRET_KEY;
const stripeSecret = env.STRIPE_WEBHOOK_SECRET;
if (!!stripeKey !== !!stripeSecret) {
  console.error('set both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or neither');
  process.exit(2);
}
if (stripeKey && !/^https?:\/\/[^/]/.test(env.PUBLIC_URL ?? '')) {
  console.error('PUBLIC_URL (the wallet’s public https address) is required with Stripe');
  process.exit(2);
}
const cents = (name: string, fallback: number): number => {
  const v = env[name] ? Number(env[name]) : fallback;
  if (!Number.isSafeInteger(v) || v < 1) {
    console.error(`invalid ${name}: ${env[name]} (integer cents)`);
    process.exit(2);
  }
  return v;
};
const topUpLimits = {
  minCents: cents('TOPUP_MIN_CENTS', DEFAULT_TOPUP_MIN_CENTS),
  maxCents: cents('TOPUP_MAX_CENTS', DEFAULT_TOPUP_MAX_CENTS),
};
if (topUpLimits.minCents > topUpLimits.maxCents) {
  console.error('TOPUP_MIN_CENTS is over TOPUP_MAX_CENTS');
  process.exit(2);
}

/**
 * The stream's reconnection timings (X's documented back-off by default), in milliseconds; tests shorten them.
 * X_STREAM_NETWORK_BASE_MS, X_STREAM_HTTP_BASE_MS, X_STREAM_RATE_LIMIT_BASE_MS, X_STREAM_STALL_MS,
 * X_STREAM_LEADER_RETRY_MS (how often an instance without the stream tries to take it).
 */
function streamTimings(): Partial<StreamOptions> {
  const names = {
    networkBaseMs: 'X_STREAM_NETWORK_BASE_MS',
    httpBaseMs: 'X_STREAM_HTTP_BASE_MS',
    rateLimitBaseMs: 'X_STREAM_RATE_LIMIT_BASE_MS',
    stallMs: 'X_STREAM_STALL_MS',
    leaderRetryMs: 'X_STREAM_LEADER_RETRY_MS',
  } as const;
  const out: Partial<StreamOptions> = {};
  for (const [key, name] of Object.entries(names) as [keyof typeof names, string][]) {
    if (env[name] === undefined || env[name] === '') continue;
    const v = Number(env[name]);
    if (!Number.isSafeInteger(v) || v < 1) {
      console.error(`invalid ${name}: ${env[name]} (milliseconds)`);
      process.exit(2);
    }
    out[key] = v;
  }
  return out;
}

try {
  const server = await startWalletServer({
    port,
    host: env.HOST || '127.0.0.1',
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.WALLET_DATA_DIR ? { dataDir: env.WALLET_DATA_DIR } : {}),
    ...(seed ? { seed } : {}),
    sandbox: env.WALLET_SANDBOX === '1' || env.WALLET_SANDBOX === 'true',
    ...(env.X_CONSUMER_SECRET ? { xConsumerSecret: env.X_CONSUMER_SECRET } : {}),
    ...(stripeKey && stripeSecret
      ? {
          stripe: {
            secretKey: stripeKey,
            webhookSecret: stripeSecret,
            publicUrl: env.PUBLIC_URL!,
            ...(env.STRIPE_API_URL ? { apiUrl: env.STRIPE_API_URL } : {}),
          },
        }
      : {}),
    topUpLimits,
    ...(env.X_BOT_USER_ID ? { xBotUserId: env.X_BOT_USER_ID } : {}),
    x: xConfigFromEnv(env, ''),
    batch: batchingEnabled(env.WALLET_BATCH),
    ...(env.X_INGEST === 'stream'
      ? env.X_BEARER_TOKEN
        ? { stream: { bearerToken: env.X_BEARER_TOKEN, ...streamTimings() } }
        : (() => {
            throw new Error('X_INGEST=stream needs X_BEARER_TOKEN');
          })()
      : {}),
    replies: {
      ...(Number(env.X_REPLY_INTERVAL_MS) > 0 ? { intervalMs: Number(env.X_REPLY_INTERVAL_MS) } : {}),
      ...(Number(env.X_REPLY_LEASE_MS) > 0 ? { leaseMs: Number(env.X_REPLY_LEASE_MS) } : {}),
    },
  });
  let stopping = false;
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      server.close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
} catch (err) {
  console.error(
    JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'start failed', err: String(err) }),
  );
  process.exit(1);
}
