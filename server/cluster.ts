/**
 * `WALLET_WORKERS=N` on PostgreSQL: N server processes sharing one port (node:cluster; the primary accepts
 * and hands connections to the workers in turn). The primary migrates and seeds the database once, then
 * forks; a worker that dies on its own is replaced; SIGTERM/SIGINT stop every worker gracefully. Each worker
 * is a whole wallet server with its own pool and its own group commit. Not on PGlite: one process owns
 * an embedded database.
 */
import cluster from 'node:cluster';
import { createWallet, type WalletServerOptions } from './start';

/** The number of workers `WALLET_WORKERS` asks for (1 = a single process, the default). */
export function workerCount(value: string | undefined): number {
  const n = Number(value ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`invalid WALLET_WORKERS: ${value}`);
  return n;
}

/** In the primary: prepares the database, forks `n` workers, supervises them until a stop signal. */
export async function runPrimary(n: number, opts: WalletServerOptions): Promise<void> {
  // Migrations and the seed once, before any worker starts (workers would race to seed an empty database).
  const wallet = await createWallet({ ...opts, log: false });
  await wallet.close();
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(
      JSON.stringify({
        time: new Date().toISOString(),
        level: 'error',
        msg: 'worker died, replacing it',
        pid: worker.process.pid,
        code,
        signal,
      }),
    );
    fork();
  });
  for (let i = 0; i < n; i++) fork();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      let left = workers.length;
      if (left === 0) process.exit(0);
      for (const w of workers) {
        w.once('exit', () => {
          if (--left === 0) process.exit(0);
        });
        w.process.kill('SIGTERM');
      }
    });
  }
}
