import pg from 'pg';
import { login, makeTarget, makeUsers, ServerProcess, sleep, writeSeed, httpRequest } from './tests/server/harness';
const t = await makeTarget('postgres', 'probe');
const users = makeUsers(2, 10000, 'pr');
const s = new ServerProcess({ target: t, seedFile: writeSeed('/tmp/ops/probe', users) });
await s.start();
const [tok] = await login(s.port, users.slice(0, 1));
const admin = new pg.Client({ connectionString: process.env.DATABASE_URL }); await admin.connect();
const db = new URL(t.databaseUrl!).pathname.slice(1);
for (let i = 0; i < 5; i++) {
  const r = await admin.query(`SELECT count(pg_terminate_backend(pid))::int n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [db]);
  await sleep(300);
  const res = await httpRequest({ port: s.port, method: 'POST', path: '/v1/payments', token: tok, idempotencyKey: 'p' + i, body: { recipientHandle: users[1]!.xHandle, amountCents: 1, currency: 'EUR', mode: 'private' } }).catch((e) => ({ status: String(e) }));
  console.log('terminated', r.rows[0].n, '→', res.status, 'alive', !!s.child);
}
console.log(s.tail(15));
await admin.end(); await s.kill(); await t.cleanup();
