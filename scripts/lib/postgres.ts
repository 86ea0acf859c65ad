/**
 * A throw-away PostgreSQL cluster for `npm test` when DATABASE_URL is not set: a temporary folder, a free port on
 * 127.0.0.1, trust authentication for the `postgres` role; `stop()` shuts it down and removes the folder (also
 * called on exit, Ctrl+C and SIGTERM by scripts/test.mjs). As root, the server runs as the `postgres` system
 * user (PostgreSQL refuses to run as root). Durability settings are off by default: the data is thrown away,
 * and the tests kill the wallet server, never PostgreSQL. `{ durable: true }` keeps PostgreSQL's defaults
 * (fsync, synchronous_commit, full_page_writes on), as a wallet runs: the benchmark's headline figures.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { PostgresBin } from './machine';

export interface Throwaway {
  url: string;
  major: number;
  stop(): void;
}

const PREFIX = 'tp-pg-';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The uid/gid to run PostgreSQL as: ours, or the `postgres` user's when we are root. */
function serverUser(): { uid: number; gid: number; name?: string } {
  const uid = process.getuid?.() ?? 1;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? uid };
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const u = id('-u');
  const g = id('-g');
  if (u.status !== 0 || g.status !== 0) {
    throw new Error(
      'npm test runs as root, and PostgreSQL will not run as root: create a `postgres` user ' +
        "(Debian's postgresql package does) or set DATABASE_URL to a PostgreSQL you own.",
    );
  }
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()), name: 'postgres' };
}

function serverAlive(pidFile: string): boolean {
  try {
    process.kill(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]), 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes clusters left by an earlier run that was killed before it could clean up (its server is gone). */
function removeOrphans(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    const pidFile = path.join(dir, 'data', 'postmaster.pid');
    if (!serverAlive(pidFile)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function startThrowawayPostgres(
  bin: PostgresBin,
  opts: { durable?: boolean } = {},
): Promise<Throwaway> {
  removeOrphans();
  const user = serverUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), PREFIX));
  fs.chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const run = (cmd: string, args: string[]): SpawnSyncReturns<string> =>
    spawnSync(user.name ? 'runuser' : cmd, user.name ? ['-u', user.name, '--', cmd, ...args] : args, {
      encoding: 'utf8',
      cwd: dir,
    });
  const pgCtl = path.join(bin.dir, 'pg_ctl');
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (fs.existsSync(path.join(data, 'postmaster.pid'))) run(pgCtl, ['-D', data, '-m', 'immediate', 'stop']);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const init = run(path.join(bin.dir, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
    // Another process may take the free port between our look and the server's bind: try another one.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const options = [
        '-c listen_addresses=127.0.0.1',
        `-p ${port}`,
        `-k ${dir}`,
        '-c max_connections=300',
        ...(opts.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
      ].join(' ');
      const start = run(pgCtl, [
        '-D',
        data,
        '-l',
        path.join(dir, 'server.log'),
        '-o',
        options,
        '-w',
        '-t',
        '60',
        'start',
      ]);
      if (start.status === 0)
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, major: bin.major, stop };
      if (attempt === 3) {
        const log = fs.existsSync(path.join(dir, 'server.log'))
          ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-2000)
          : '';
        throw new Error(`PostgreSQL did not start:\n${start.stdout}${start.stderr}${log}`);
      }
    }
  } catch (err) {
    stop();
    throw err;
  }
}
