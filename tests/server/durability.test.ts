/**
 * Durability: payments over HTTP with Idempotency-Keys, `kill -9` of the server in the
 * middle, restart on the same data; then every payment that got a 201 exists exactly once (by id, by
 * replaying its key, and in the database), nothing refused was paid, and the ledger's invariants hold.
 * On PGlite (a temp folder) and, when DATABASE_URL is set, on a fresh PostgreSQL database.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  databaseKinds,
  httpRequest,
  login,
  makeTarget,
  makeUsers,
  runId,
  ServerProcess,
  sleep,
  writeSeed,
} from './harness';
import { canonicalJson } from '../../server/idempotency';
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
      // Kill once a good number of payments were acknowledged (however long that takes on a busy machine),
      // with requests in flight.
      const t0 = Date.now();
      while (load.counts.acked < 200) await sleep(20);
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
      // The client retries what got no answer. On PGlite nothing can still be running after a restart, so
      // every retry gets its answer now (on PostgreSQL a claim of the dead process may answer 409 for a while).
      const again = await load.retryUnresolved();
      console.log(`${kind}: ${again.resolved} of ${again.retried} unanswered payments answered when retried`);
      if (kind === 'pglite')
        assert.equal(again.resolved, again.retried, 'every retry after the restart answered');
      const http = await auditOverHttp(server.port, load, tokens);
      assert.deepEqual(http.problems, [], 'acknowledged payments found by id and by replaying their key');
      assert.equal(http.checked, load.counts.acked);

      assert.equal(await server.stop(), 0, `graceful stop:\n${server.tail(10)}`);
      const q = await openAuditDb(target);
      try {
        const pays = await auditPayments(q, load, users, tag);
        assert.deepEqual(pays.problems, [], 'every acknowledged payment exactly once, nothing refused paid');
        const ledger = await auditLedger(q, users);
        assert.deepEqual(ledger.problems, [], 'ledger invariants');
        assert.equal(ledger.figures.sumOfAllAccountsCents, 0);
        assert.ok(ledger.figures.minUserBalanceCents >= 0);
        assert.deepEqual(server.crashes, [], 'the server never died on its own');
        console.log(
          `${kind}: ${ledger.figures.payments} payments in the database; ${pays.paidUnanswered} unanswered ones ` +
            `committed before the kill`,
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

test('pglite: a key claimed by a killed process does not block the retry after the restart', async () => {
  const target = await makeTarget('pglite', 'orphan');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-orphan-seed-'));
  const users = makeUsers(2, 10_000, 'or');
  const server = new ServerProcess({ target, seedFile: writeSeed(tmp, users) });
  try {
    await server.start();
    const [token] = await login(server.port, users.slice(0, 1));
    await server.kill();
    // What a kill -9 between claiming a key and committing its payment leaves: a claim without an answer.
    const body = { recipientHandle: users[1]!.xHandle, amountCents: 100, currency: 'EUR', mode: 'private' };
    const hash = createHash('sha256')
      .update(`POST /v1/payments\n${canonicalJson(body)}`)
      .digest('base64url');
    const q = await openAuditDb(target);
    try {
      const [payer] = await q.query<{ id: string }>(`SELECT id FROM accounts WHERE x_handle = $1`, [
        users[0]!.xHandle,
      ]);
      await q.query(
        `INSERT INTO idempotency_keys (account_id, key, request_hash, locked_at, created_at) VALUES ($1, 'orphan-1', $2, now(), now())`,
        [payer!.id, hash],
      );
    } finally {
      await q.close();
    }
    await server.start();
    const res = await httpRequest({
      port: server.port,
      method: 'POST',
      path: '/v1/payments',
      token,
      idempotencyKey: 'orphan-1',
      body,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  } finally {
    await server.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
    await target.cleanup();
  }
});
