/**
 * `npm run server`: the wallet server from the command line.
 * Env: PORT (8787), HOST (127.0.0.1), DATABASE_URL (PostgreSQL; else PGlite in WALLET_DATA_DIR, default
 * ./.data/wallet, `memory://` for a throw-away one), WALLET_SEED or `--seed <file>`, WALLET_SANDBOX=1,
 * X_CONSUMER_SECRET, WALLET_BATCH=off (each new payment in its own statement instead of group commit).
 * SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the database.
 */
import { parseArgs } from 'node:util';
import { batchingEnabled } from './payments/batch';
import { startWalletServer, type WalletServerOptions } from './start';

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
  const opts: WalletServerOptions = {
    port,
    host: env.HOST || '127.0.0.1',
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.WALLET_DATA_DIR ? { dataDir: env.WALLET_DATA_DIR } : {}),
    ...(seed ? { seed } : {}),
    sandbox: env.WALLET_SANDBOX === '1' || env.WALLET_SANDBOX === 'true',
    ...(env.X_CONSUMER_SECRET ? { xConsumerSecret: env.X_CONSUMER_SECRET } : {}),
    batch: batchingEnabled(env.WALLET_BATCH),
  };
  const server = await startWalletServer(opts);
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
