/**
 * Durability (issue 3 item 9): payments over HTTP with Idempotency-Keys, `kill -9` of the server in the
 * middle, restart on the same data; then every payment that got a 201 exists exactly once (by id, by
 * replaying its key, and in the database), nothing refused was paid, and the ledger's invariants hold.
 * On PGlite (a temp folder) and, when DATABASE_URL is set, on a fresh PostgreSQL database.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  databaseKinds,
  login,
  makeTarget,
  makeUsers,
  runId,
  ServerProcess,
  sleep,
  writeSeed,
} from './harness';
import { auditLedger, auditOverHttp, auditPayments, openAuditDb, PaymentLoad } from './load';

for (const kind of databaseKinds()) {
  test(`${kind}: kill -9 under load, restart: every acknowledged payment exists once, ledger intact`, async () => {
    const target = await makeTarget(kind, 'durability');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-durability-seed-'));
    const users = makeUsers(12, 100_000, 'du').map((u, i) =>
      i % 3 === 1 ? { ...u, balanceCents: 2_000 } : u,
    );
    const server = new ServerProcess({ target, seedFile: writeSeed(tmp, users) });
    const tag = runId();
    let killed = false;
    let load: PaymentLoad | undefined;
    try {
      await server.start();
      const tokens = await login(server.port, users);
      load = new PaymentLoad({
        port: () => server.port,
        users,
        tokens,
        concurrency: 16,
        keepGoing: () => !killed,
        retryUntil: () => (killed ? 0 : Infinity),
        retryNetworkErrors: false,
        runTag: tag,
      });
      const running = load.run();
      // Kill once a good number of payments were acknowledged (or after 4 s), with requests in flight.
      const t0 = Date.now();
      while (load.counts.acked < 400 && Date.now() - t0 < 4000) await sleep(20);
      await server.kill();
      killed = true;
      await running;
      const c = load.counts;
      console.log(
        `${kind}: killed after ${Date.now() - t0} ms: ${c.acked} acknowledged, ${c.rejected} refused, ` +
          `${c.unresolved} in flight at the kill, ${c.duplicatesPrevented} duplicates prevented`,
      );
      assert.ok(c.acked > 0, 'some payments were acknowledged before the kill');
      assert.ok(c.unresolved > 0, 'the kill happened with requests in flight');
      assert.deepEqual(load.problems, []);

      await server.start();
      const http = await auditOverHttp(server.port, load, tokens);
      assert.deepEqual(http.problems, [], 'acknowledged payments found by id and by replaying their key');
      assert.equal(http.checked, c.acked);

      assert.equal(await server.stop(), 0, `graceful stop:\n${server.tail(10)}`);
      const q = await openAuditDb(target);
      try {
        const pays = await auditPayments(q, load, users, tag);
        assert.deepEqual(pays.problems, [], 'every acknowledged payment exactly once, nothing refused paid');
        const ledger = await auditLedger(q, users);
        assert.deepEqual(ledger.problems, [], 'ledger invariants');
        assert.equal(ledger.figures.sumOfAllAccountsCents, 0);
        assert.ok(ledger.figures.minUserBalanceCents >= 0);
        console.log(
          `${kind}: ${ledger.figures.payments} payments in the database, ${pays.paidUnanswered} of the ` +
            `${c.unresolved} unanswered ones committed before the kill`,
        );
      } finally {
        await q.close();
      }
    } catch (err) {
      console.error(`--- server output ---\n${server.tail(20)}`);
      throw err;
    } finally {
      load?.close();
      await server.kill();
      fs.rmSync(tmp, { recursive: true, force: true });
      await target.cleanup();
    }
  });
}
