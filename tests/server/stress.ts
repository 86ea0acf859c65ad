/**
 * Faults under load: payments from many concurrent clients with retries, duplicate
 * Idempotency-Keys and key reuse, through a proxy that cuts connections, while the server is killed
 * (SIGKILL) and restarted on the same data and, on PostgreSQL, its backends are terminated
 * (pg_terminate_backend). Then the audit of load.ts. Used by tests/server/stress.test.ts (short) and
 * scripts/stress-server.ts (`npm run test:stress`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  FaultyProxy,
  login,
  makeTarget,
  makeUsers,
  runId,
  ServerProcess,
  sleep,
  writeSeed,
  type SeedUser,
} from './harness';
import { auditLedger, auditOverHttp, auditPayments, openAuditDb, PaymentLoad, type LoadCounts } from './load';

export interface StressOptions {
  db: 'pglite' | 'postgres';
  durationMs: number;
  concurrency?: number;
  /** Probability that the proxy cuts a connection at a request (default 0.03). */
  cutRate?: number;
  /** Kill -9 and restart the server every [min, max] ms (default [5000, 8000]); null: never. */
  killEveryMs?: [number, number] | null;
  /** PostgreSQL only: terminate the server's backends every [min, max] ms (default [300, 900]). */
  terminateEveryMs?: [number, number];
  /** Fraction of intents sent twice at once (default 0.05). */
  duplicateRate?: number;
  /** After the run, how long unanswered intents keep retrying (default 10 s). */
  graceMs?: number;
  /**
   * The run goes on past durationMs until this holds of what happened so far (at most 5 × durationMs), so that
   * a slow, busy machine still sees every kind of fault instead of failing for lack of time.
   */
  until?: (so: { counts: LoadCounts; faults: StressReport['faults'] }) => boolean;
  log?: (line: string) => void;
}

export interface StressReport {
  db: 'pglite' | 'postgres';
  seconds: number;
  counts: LoadCounts;
  faults: {
    connectionsCutBeforeRequest: number;
    connectionsCutBeforeResponse: number;
    serverKills: number;
    /** Restarts that failed (their database connections terminated meanwhile) and were retried. */
    failedStarts: number;
    backendsTerminated: number;
    total: number;
  };
  audit: {
    paymentsInDb: number;
    checkedOverHttp: number;
    paidButUnanswered: number;
    sumOfAllAccountsCents: number;
    minUserBalanceCents: number;
  };
  problems: string[];
}

const between = ([a, b]: [number, number]) => a + Math.random() * (b - a);

/** Users for a stress run: most rich enough, a few poor so that `insufficient_funds` happens. */
export function stressUsers(): SeedUser[] {
  return makeUsers(16, 200_000, 'st').map((u, i) => (i % 4 === 1 ? { ...u, balanceCents: 3_000 } : u));
}

export async function runStress(o: StressOptions): Promise<StressReport> {
  const log = o.log ?? (() => undefined);
  const tag = runId();
  const target = await makeTarget(o.db, 'stress');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-stress-seed-'));
  const users = stressUsers();
  const server = new ServerProcess({ target, seedFile: writeSeed(tmp, users) });
  const faults = { serverKills: 0, backendsTerminated: 0, failedStarts: 0 };
  const problems: string[] = [];
  let proxy: FaultyProxy | undefined;
  let load: PaymentLoad | undefined;
  try {
    await server.start();
    const tokens = await login(server.port, users);
    proxy = new FaultyProxy(server.port);
    await proxy.listen();
    proxy.cutRate = o.cutRate ?? 0.03;
    const t0 = Date.now();
    const endAt = t0 + o.durationMs;
    const hardEnd = t0 + 5 * o.durationMs;
    const graceMs = o.graceMs ?? 10_000;
    const p = proxy;
    let finishedAt: number | undefined;
    const done = () => {
      if (finishedAt !== undefined) return true;
      const now = Date.now();
      const enough = !o.until || !load || o.until({ counts: load.counts, faults: faultsSoFar() });
      if (now >= hardEnd || (now >= endAt && enough)) finishedAt = now;
      return finishedAt !== undefined;
    };
    const faultsSoFar = (): StressReport['faults'] => ({
      connectionsCutBeforeRequest: p.stats.cutBeforeRequest,
      connectionsCutBeforeResponse: p.stats.cutBeforeResponse,
      serverKills: faults.serverKills,
      failedStarts: faults.failedStarts,
      backendsTerminated: faults.backendsTerminated,
      total:
        p.stats.cutBeforeRequest + p.stats.cutBeforeResponse + faults.serverKills + faults.backendsTerminated,
    });
    load = new PaymentLoad({
      port: () => p.port,
      users,
      tokens,
      concurrency: o.concurrency ?? 48,
      keepGoing: () => !done(),
      retryUntil: () => (finishedAt ?? Infinity) + graceMs,
      runTag: tag,
      ...(o.duplicateRate !== undefined ? { duplicateRate: o.duplicateRate } : {}),
    });
    log(
      `stress on ${o.db}: ${o.durationMs / 1000} s, ${o.concurrency ?? 48} clients, server ${server.url}, proxy :${p.port}`,
    );
    const running = load.run();

    // Like a supervisor: (re)start until it runs; a start can fail when its database connections are
    // terminated meanwhile. One restart at a time, whether after our kill or after a crash.
    let restarting: Promise<void> = Promise.resolve();
    const restart = () =>
      (restarting = restarting.then(async () => {
        for (let attempt = 1; !server.child; attempt++) {
          try {
            await server.start();
          } catch (err) {
            faults.failedStarts++;
            if (attempt >= 5) throw err;
            log(`  restart attempt ${attempt} failed: ${String(err).split('\n')[0]}`);
          }
        }
        p.setTarget(server.port);
      }));
    server.onCrash = () => {
      log(`  the server CRASHED at ${((Date.now() - t0) / 1000).toFixed(1)} s; restarting it`);
      void restart().catch(() => undefined);
    };
    const killer = (async () => {
      if (o.killEveryMs === null) return;
      for (;;) {
        await sleep(between(o.killEveryMs ?? [5000, 8000]));
        if (done()) return;
        await restarting;
        await server.kill();
        faults.serverKills++;
        const t = Date.now();
        await restart();
        log(
          `  kill -9 #${faults.serverKills} at ${((t - t0) / 1000).toFixed(1)} s; back in ${Date.now() - t} ms`,
        );
      }
    })();

    const terminator = (async () => {
      if (o.db !== 'postgres' || !target.databaseUrl) return;
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      const dbName = new URL(target.databaseUrl).pathname.slice(1);
      try {
        while (!done()) {
          await sleep(between(o.terminateEveryMs ?? [300, 900]));
          const [row] = (
            await admin.query<{ n: string }>(
              `SELECT count(pg_terminate_backend(pid))::text AS n FROM pg_stat_activity
               WHERE datname = $1 AND pid <> pg_backend_pid()`,
              [dbName],
            )
          ).rows;
          faults.backendsTerminated += Number(row?.n ?? 0);
        }
      } finally {
        await admin.end();
      }
    })();

    await Promise.all([killer, terminator]);
    p.cutRate = 0;
    await running;
    await restarting;
    server.onCrash = undefined;
    for (const c of server.crashes) {
      problems.push(`the server crashed (exit ${c.code ?? c.signal}); its last output:\n${c.tail}`);
    }
    const seconds = (Date.now() - t0) / 1000;
    log(`  load done in ${seconds.toFixed(1)} s; auditing`);

    // The server may have died in the last instant: make sure it runs for the HTTP audit.
    if (!server.child) {
      await server.start();
      p.setTarget(server.port);
    }
    const overHttp = await auditOverHttp(server.port, load, tokens, 300);
    problems.push(...load.problems, ...overHttp.problems);
    const exit = await server.stop();
    if (exit !== 0) problems.push(`graceful stop exited with ${exit}:\n${server.tail(10)}`);
    const q = await openAuditDb(target);
    try {
      const ledger = await auditLedger(q, users);
      const pays = await auditPayments(q, load, users, tag);
      problems.push(...ledger.problems, ...pays.problems);
      return {
        db: o.db,
        seconds,
        counts: load.counts,
        faults: faultsSoFar(),
        audit: {
          paymentsInDb: ledger.figures.payments,
          checkedOverHttp: overHttp.checked,
          paidButUnanswered: pays.paidUnanswered,
          sumOfAllAccountsCents: ledger.figures.sumOfAllAccountsCents,
          minUserBalanceCents: ledger.figures.minUserBalanceCents,
        },
        problems,
      };
    } finally {
      await q.close();
    }
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- server output ---\n${server.tail(20)}`, { cause: err });
  } finally {
    load?.close();
    await server.kill();
    await proxy?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    await target.cleanup();
  }
}

/** The counts as a few lines of text. */
export function formatReport(r: StressReport): string {
  const c = r.counts;
  const f = r.faults;
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  return [
    `stress on ${r.db}: ${r.seconds.toFixed(1)} s`,
    `  requests ${c.requests} (HTTP status: ${kv(c.byStatus)}; no answer: ${c.networkErrors})`,
    `  faults injected ${f.total}: connections cut before the request ${f.connectionsCutBeforeRequest}, after it ${f.connectionsCutBeforeResponse}; server kill -9 + restart ${f.serverKills} (failed starts retried ${f.failedStarts}); PostgreSQL backends terminated ${f.backendsTerminated}`,
    `  payments: ${c.intents} attempted, ${c.acked} acknowledged (201), ${c.rejected} refused (${kv(c.rejectedByCode)}), ${c.unresolved} left unanswered; ${r.audit.paymentsInDb} in the database`,
    `  duplicates prevented ${c.duplicatesPrevented} (concurrent duplicates sent ${c.duplicatesSent}, in-flight refusals ${c.inFlight}); key reuse with another body refused ${c.reusesRejected}/${c.reusesSent}`,
    `  audit: ${r.audit.checkedOverHttp} acknowledged payments re-read by id and by replaying their key; unanswered but paid ${r.audit.paidButUnanswered}; sum over all accounts ${r.audit.sumOfAllAccountsCents}; lowest user balance ${r.audit.minUserBalanceCents}`,
    r.problems.length
      ? `  PROBLEMS (${r.problems.length}):\n    ${r.problems.slice(0, 30).join('\n    ')}`
      : '  no problem found',
  ].join('\n');
}
