/**
 * The short version of `npm run test:stress`, a step of `npm test`: a few seconds of
 * concurrent payments with retries and duplicate keys while connections are cut, the server is killed
 * and restarted and (PostgreSQL) its backends are terminated; then nothing acknowledged is lost or
 * doubled, no balance is negative, the ledger sums to zero. STRESS_SECONDS overrides the duration.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { databaseKinds } from './harness';
import { formatReport, runStress } from './stress';

const seconds = Number(process.env.STRESS_SECONDS ?? 12);

for (const db of databaseKinds()) {
  test(`${db}: faults under load lose and double nothing`, async () => {
    const report = await runStress({
      db,
      durationMs: seconds * 1000,
      killEveryMs: [seconds * 250, seconds * 350],
      graceMs: 8_000,
      cutRate: 0.05,
      duplicateRate: 0.1,
      // Every fault below happens at least once, however slow the machine (the run goes on until then).
      until: ({ counts, faults }) =>
        counts.acked >= 20 &&
        faults.serverKills >= 1 &&
        faults.connectionsCutBeforeRequest + faults.connectionsCutBeforeResponse >= 1 &&
        counts.duplicatesPrevented >= 1 &&
        (db !== 'postgres' || faults.backendsTerminated >= 1),
      log: console.log,
    });
    console.log(formatReport(report));
    assert.deepEqual(report.problems, []);
    const c = report.counts;
    // Throughput depends on the machine (2 shared cores here); correctness must not.
    assert.ok(c.acked >= 20, `payments went through (${c.acked})`);
    assert.ok(report.faults.serverKills >= 1, 'the server was killed and restarted');
    const cuts = report.faults.connectionsCutBeforeRequest + report.faults.connectionsCutBeforeResponse;
    assert.ok(cuts >= 1, 'connections were cut');
    assert.ok(c.duplicatesPrevented >= 1, 'duplicates were sent and refused');
    if (db === 'postgres') assert.ok(report.faults.backendsTerminated >= 1, 'backends were terminated');
  });
}
