/**
 * Harness for the wallet server's fault tests and benchmark: a database per run (a PGlite folder in a
 * temp dir, or a uniquely named PostgreSQL database created from DATABASE_URL and dropped after), the
 * server as a real child process (`node --import tsx server/main.ts`) that can be killed and restarted
 * on the same data, a TCP proxy that cuts connections on purpose, and a small keep-alive HTTP client.
 * Everything listens on 127.0.0.1 port 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const runId = () => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

// ------------------------------------------------------------------------------------------- databases

export interface DbTarget {
  kind: 'pglite' | 'postgres';
  /** Environment for the server process: WALLET_DATA_DIR or DATABASE_URL. */
  env: Record<string, string>;
  dataDir?: string;
  databaseUrl?: string;
  /** Removes the folder or drops the database. */
  cleanup(): Promise<void>;
}

/** A fresh PGlite data folder under the system temp dir. */
export function pgliteTarget(tag: string): DbTarget {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `tp-${tag}-`));
  const dataDir = path.join(base, 'wallet');
  return {
    kind: 'pglite',
    env: { WALLET_DATA_DIR: dataDir },
    dataDir,
    async cleanup() {
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

/** A uniquely named database on the PostgreSQL server of `baseUrl` (created now, dropped by cleanup). */
export async function postgresTarget(baseUrl: string, tag: string): Promise<DbTarget> {
  const name = `tp_${tag}_${runId()}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    kind: 'postgres',
    env: { DATABASE_URL: databaseUrl },
    databaseUrl,
    async cleanup() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The databases to run on: PGlite always, PostgreSQL too when DATABASE_URL is set. */
export function databaseKinds(): ('pglite' | 'postgres')[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export async function makeTarget(kind: 'pglite' | 'postgres', tag: string): Promise<DbTarget> {
  if (kind === 'pglite') return pgliteTarget(tag);
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  return postgresTarget(base, tag);
}

// ---------------------------------------------------------------------------------------------- seeds

export interface SeedUser {
  email: string;
  password: string;
  displayName: string;
  kind: 'person' | 'association' | 'business';
  xHandle: string;
  xUserId: string;
  balanceCents: number;
  feeBps?: number;
}

/** `n` users `<prefix>00…` with X handles; every fifth one is a business (so fees are exercised). */
export function makeUsers(n: number, balanceCents: number, prefix = 'ops'): SeedUser[] {
  return Array.from({ length: n }, (_, i) => {
    const nn = String(i).padStart(2, '0');
    const business = i % 5 === 4;
    return {
      email: `${prefix}${nn}@example.test`,
      password: `password-${prefix}-${nn}`,
      displayName: `${business ? 'Shop' : 'User'} ${nn}`,
      kind: business ? 'business' : 'person',
      xHandle: `${prefix}_${nn}`,
      xUserId: String(900_000_000 + i),
      balanceCents,
      ...(business ? { feeBps: 150 } : {}),
    };
  });
}

export function writeSeed(dir: string, users: SeedUser[]): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'seed.json');
  fs.writeFileSync(file, JSON.stringify({ accounts: users }, null, 2));
  return file;
}

// ------------------------------------------------------------------------------------- server process

export interface ServerOptions {
  target: DbTarget;
  seedFile?: string;
  env?: Record<string, string>;
  /** Keep this many of the last output lines for error messages. */
  keepLines?: number;
}

/** The wallet server as a child process; `start()` again after `kill()` restarts it on the same data. */
export class ServerProcess {
  child: ChildProcess | undefined;
  port = 0;
  starts = 0;
  /** Exits nobody asked for (crashes), with the output that preceded them. */
  readonly crashes: { code: number | null; signal: string | null; tail: string }[] = [];
  /** Called on a crash (e.g. to restart it, as a supervisor would). */
  onCrash: (() => void) | undefined;
  private expectExit = false;
  private lines: string[] = [];
  private readonly watchers: ((line: string) => void)[] = [];
  constructor(private readonly opts: ServerOptions) {}

  /** The server process's id while it runs (e.g. to read its CPU time in /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Counts this process's output lines matching `re` from now on (across restarts); `reached(n)` resolves once
   * there were `n` of them — to wait for what the server says it did (e.g. that it holds the X stream).
   */
  watch(re: RegExp): { count(): number; reached(n?: number): Promise<void> } {
    let count = 0;
    let waiting: { n: number; resolve: () => void }[] = [];
    this.watchers.push((line) => {
      if (!re.test(line)) return;
      count++;
      waiting = waiting.filter((w) => (count >= w.n ? (w.resolve(), false) : true));
    });
    return {
      count: () => count,
      reached: (n = 1) =>
        new Promise<void>((resolve) => (count >= n ? resolve() : waiting.push({ n, resolve }))),
    };
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Recent output, for failure messages. */
  tail(n = 30): string {
    return this.lines.slice(-n).join('\n');
  }

  /**
   * Starts the server and resolves once it answers /v1/health; rejects as soon as it exits. The time limit only
   * stops a server that hangs: a PGlite recovering after kill -9 on a machine whose cores are all busy was seen
   * taking over a minute, so it is generous.
   */
  async start(timeoutMs = 240_000): Promise<number> {
    if (this.child) throw new Error('server already running');
    this.expectExit = false;
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      PORT: '0',
      HOST: '127.0.0.1',
      WALLET_SANDBOX: '1',
      ...this.opts.target.env,
      ...(this.opts.seedFile ? { WALLET_SEED: this.opts.seedFile } : {}),
      ...this.opts.env,
    };
    if (this.opts.target.kind === 'pglite') delete env.DATABASE_URL;
    // WALLET_SERVER_NODE_ARGS: extra node flags for the server (e.g. `--cpu-prof --cpu-prof-dir=prof`, which
    // NODE_OPTIONS does not allow), to profile it under the benchmark's load.
    const nodeArgs = process.env.WALLET_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    const keep = this.opts.keepLines ?? 200;
    let resolvePort: (p: number) => void;
    const portFound = new Promise<number>((r) => (resolvePort = r));
    const onLine = (line: string) => {
      for (const w of this.watchers) w(line);
      this.lines.push(line);
      if (this.lines.length > keep) this.lines.splice(0, this.lines.length - keep);
      const m =
        /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)/.exec(line) ?? /"port"\s*:\s*(\d+)/.exec(line);
      if (m?.[1] && Number(m[1]) > 0) resolvePort(Number(m[1]));
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
    }
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`server exited during start (${code ?? signal}):\n${this.tail()}`)),
      ),
    );
    exited.catch(() => undefined);
    let ready = false;
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (!this.expectExit && ready) {
        this.crashes.push({ code, signal, tail: this.tail(40) });
        this.onCrash?.();
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`server did not start in ${timeoutMs} ms:\n${this.tail()}`)),
        timeoutMs,
      );
    });
    try {
      this.port = await Promise.race([portFound, exited, timeout]);
      // Listening is announced once the database is open; health proves it answers.
      for (;;) {
        const res = await Promise.race([
          httpRequest({ port: this.port, method: 'GET', path: '/v1/health' }).catch(() => undefined),
          exited,
          timeout,
        ]);
        if (res?.status === 200) break;
        await sleep(50);
      }
      ready = true;
    } catch (err) {
      this.kill();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return this.port;
  }

  /** SIGKILL: no shutdown code runs. Resolves when the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    this.expectExit = true;
    child.kill('SIGKILL');
    await gone;
  }

  /** SIGTERM (graceful shutdown); SIGKILL after `timeoutMs`. Returns the exit code (null when killed). */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    const child = this.child;
    if (!child) return 0;
    const gone = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    this.expectExit = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await gone;
    } finally {
      clearTimeout(timer);
    }
  }
}

// ------------------------------------------------------------------------------------------ HTTP client

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface HttpRequest {
  port: number;
  method: string;
  path: string;
  token?: string;
  idempotencyKey?: string;
  body?: unknown;
  agent?: http.Agent;
  timeoutMs?: number;
}

/** One request; rejects on any network error (refused, reset, timeout) — the outcome is then unknown. */
export function httpRequest(r: HttpRequest): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const data = r.body === undefined ? undefined : JSON.stringify(r.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (data !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(data));
    }
    if (r.token) headers.authorization = `Bearer ${r.token}`;
    if (r.idempotencyKey) headers['idempotency-key'] = r.idempotencyKey;
    const req = http.request(
      { host: '127.0.0.1', port: r.port, method: r.method, path: r.path, headers, agent: r.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
        res.on('end', () => {
          if (!res.complete) return reject(new Error('response incomplete'));
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.setTimeout(r.timeoutMs ?? 15_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(data);
  });
}

/** Signs in every user; returns their access tokens in the same order. */
export async function login(port: number, users: SeedUser[]): Promise<string[]> {
  const tokens: string[] = [];
  for (const u of users) {
    const res = await httpRequest({
      port,
      method: 'POST',
      path: '/v1/auth/login',
      body: { email: u.email, password: u.password },
    });
    const token = (res.body as { accessToken?: string } | undefined)?.accessToken;
    if (res.status !== 200 || !token)
      throw new Error(`login ${u.email}: ${res.status} ${JSON.stringify(res.body)}`);
    tokens.push(token);
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------- proxy

export interface ProxyStats {
  connections: number;
  /** Connections cut before a request reached the server. */
  cutBeforeRequest: number;
  /** Connections cut after the request reached the server, before its response reached the client. */
  cutBeforeResponse: number;
}

/**
 * A TCP proxy on 127.0.0.1:0 to the server's current port (`setTarget` after a restart). With probability
 * `cutRate` per request chunk it cuts the connection, half the time before forwarding the request, half
 * the time after (so the server executes a request whose answer is lost).
 */
export class FaultyProxy {
  readonly stats: ProxyStats = { connections: 0, cutBeforeRequest: 0, cutBeforeResponse: 0 };
  cutRate = 0;
  private server: net.Server;
  private sockets = new Set<net.Socket>();
  port = 0;
  constructor(private targetPort: number) {
    this.server = net.createServer((client) => this.handle(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  setTarget(port: number) {
    this.targetPort = port;
  }

  private handle(client: net.Socket) {
    this.stats.connections++;
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    let cutOnResponse = false;
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      if (this.cutRate > 0 && Math.random() < this.cutRate) {
        if (Math.random() < 0.5) {
          this.stats.cutBeforeRequest++;
          return cut();
        }
        cutOnResponse = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (cutOnResponse) {
        this.stats.cutBeforeResponse++;
        return cut();
      }
      client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    for (const s of [client, upstream]) {
      s.on('error', cut);
      s.on('close', () => {
        this.sockets.delete(s);
        cut();
      });
    }
  }

  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

// ------------------------------------------------------------------------------------------- helpers

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
