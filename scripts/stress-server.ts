/**
 * `npm run test:stress`: faults under load against the wallet server, loopback only,
 * bounded in time: PGlite, then PostgreSQL when DATABASE_URL is set (a database of its own, dropped after).
 *
 * Usage: tsx scripts/stress-server.ts [--seconds=60] [--concurrency=48] [--db=pglite,postgres] [--json]
 * Exit code 1 when any audit finds a problem.
 */
import { databaseKinds } from '../tests/server/harness';
import { formatReport, runStress, type StressReport } from '../tests/server/stress';

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const seconds = Number(opt('seconds') ?? 60);
const concurrency = Number(opt('concurrency') ?? 48);
const dbs = (opt('db')?.split(',') as ('pglite' | 'postgres')[] | undefined) ?? databaseKinds();
const asJson = args.includes('--json');
const log = asJson ? (l: string) => process.stderr.write(l + '\n') : console.log;

const reports: StressReport[] = [];
for (const db of dbs) {
  const report = await runStress({
    db,
    durationMs: seconds * 1000,
    concurrency,
    killEveryMs: [Math.min(15_000, seconds * 250), Math.min(25_000, seconds * 400)],
    log,
  });
  reports.push(report);
  log(formatReport(report));
}
if (asJson) console.log(JSON.stringify(reports, null, 2));
const failed = reports.filter((r) => r.problems.length > 0);
if (failed.length) {
  console.error(`stress: problems found on ${failed.map((r) => r.db).join(', ')}`);
  process.exit(1);
}
log('stress: every acknowledged payment exists once, no balance negative, the ledger sums to zero');
