/**
 * `npm run server`: the wallet server from the command line.
 * Env: PORT (8787), HOST (127.0.0.1), DATABASE_URL (PostgreSQL; else PGlite in WALLET_DATA_DIR, default
 * ./.data/wallet, `memory://` for a throw-away one), WALLET_SEED or `--seed <file>`, WALLET_SANDBOX=1,
 * X_CONSUMER_SECRET, X_BOT_USER_ID, and the X variables of server/x/config.ts (X_CLIENT_ID, X_CLIENT_SECRET,
 * PUBLIC_URL, X_API_URL, X_AUTHORIZE_URL, X_TIMEOUT_MS, X_BOT_ACCESS_TOKEN, X_BOT_REFRESH_TOKEN), X_INGEST=stream
 * with X_BEARER_TOKEN (pull mode), WALLET_BATCH=off (each new payment in its own statement instead of group
 * commit). SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the database.
 */
import { parseArgs } from 'node:util';
import { batchingEnabled } from './payments/batch';
import { startWalletServer } from './start';
import { xConfigFromEnv } from './x/config';

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

try {
  const server = await startWalletServer({
    port,
    host: env.HOST || '127.0.0.1',
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.WALLET_DATA_DIR ? { dataDir: env.WALLET_DATA_DIR } : {}),
    ...(seed ? { seed } : {}),
    sandbox: env.WALLET_SANDBOX === '1' || env.WALLET_SANDBOX === 'true',
    ...(env.X_CONSUMER_SECRET ? { xConsumerSecret: env.X_CONSUMER_SECRET } : {}),
    ...(env.X_BOT_USER_ID ? { xBotUserId: env.X_BOT_USER_ID } : {}),
    x: xConfigFromEnv(env, ''),
    batch: batchingEnabled(env.WALLET_BATCH),
    ...(env.X_INGEST === 'stream'
      ? env.X_BEARER_TOKEN
        ? { stream: { bearerToken: env.X_BEARER_TOKEN } }
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
