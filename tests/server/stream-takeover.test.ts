/**
 * Pull mode (`X_INGEST=stream`) across a real process death: two wallet server processes on one PostgreSQL
 * read X's filtered stream (the local stand-in); exactly one holds it (a session advisory lock). The holder is
 * killed with SIGKILL while X's stream is down; a payment post is made in between; the other process takes the
 * stream over, connects, fills the gap from recent search (`since_id` = the newest post the dead one stored) and
 * the payment completes once, with one bot reply. Back-off bases are shortened through X_STREAM_*_MS.
 * PostgreSQL only (two processes cannot share a PGlite): skipped without DATABASE_URL.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startFakeX } from '../fake-x/server';
import { httpRequest, login, makeTarget, makeUsers, ServerProcess, writeSeed } from './harness';
import { openAuditDb } from './load';

const BOT = { id: '100000000000000009', username: 'SMoneyfr' };

/** Waits until `check` holds, checking again after each short pause (a condition, not a duration). */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test(
  'postgres: the stream holder is killed -9; the other instance takes over, fills the gap by search, pays once',
  { skip: process.env.DATABASE_URL ? false : 'needs DATABASE_URL (PostgreSQL)', timeout: 240_000 },
  async () => {
    const fx = await startFakeX({ users: [BOT], keepAliveMs: 500 });
    const target = await makeTarget('postgres', 'stream-takeover');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-stream-takeover-'));
    const [payer, recipient] = makeUsers(2, 10_000, 'st');
    const env = {
      ...fx.walletEnv(BOT.id),
      X_REPLY_INTERVAL_MS: '50',
      X_INGEST: 'stream',
      X_BEARER_TOKEN: fx.bearerToken,
      X_STREAM_NETWORK_BASE_MS: '20',
      X_STREAM_HTTP_BASE_MS: '20',
      X_STREAM_RATE_LIMIT_BASE_MS: '20',
      X_STREAM_LEADER_RETRY_MS: '100',
    };
    const servers = [
      new ServerProcess({ target, seedFile: writeSeed(tmp, [payer!, recipient!]), env }),
      new ServerProcess({ target, env }),
    ];
    const holds = servers.map((s) => s.watch(/"msg":"x stream: this instance holds the stream"/));
    let tweetSeq = 1_900_000_000_000_000_100n;
    try {
      // The second starts once the first has migrated and seeded the database.
      await servers[0]!.start();
      await servers[1]!.start();
      const [token] = await login(servers[0]!.port, [payer!]);
      await fx.streamConnections(1);
      await Promise.race(holds.map((h) => h.reached(1)));
      const holderIndex = holds.findIndex((h) => h.count() === 1);
      assert.equal(holds[1 - holderIndex]!.count(), 0, 'exactly one instance holds the stream');
      const holder = servers[holderIndex]!;
      const survivor = servers[1 - holderIndex]!;

      const api = (method: string, p: string, body?: unknown, key?: string) =>
        httpRequest({
          port: survivor.port,
          method,
          path: p,
          token: token!,
          ...(key ? { idempotencyKey: key } : {}),
          ...(body ? { body } : {}),
        });
      /** A tweet payment of `cents` to the recipient, and its post on X (published by the stand-in). */
      const pay = async (cents: number, key: string) => {
        const created = await api(
          'POST',
          '/v1/payments',
          { recipientHandle: recipient!.xHandle, amountCents: cents, currency: 'EUR', mode: 'tweet' },
          key,
        );
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const payment = created.body as { id: string; tweetText: string };
        const tweetId = String(tweetSeq++);
        fx.publish({
          tweetId,
          text: payment.tweetText,
          userId: payer!.xUserId,
          handle: payer!.xHandle,
          mentions: [
            { handle: BOT.username, userId: BOT.id },
            { handle: recipient!.xHandle, userId: recipient!.xUserId },
          ],
        });
        return { id: payment.id, tweetId };
      };
      const completed = (id: string) =>
        until(`payment ${id} completed`, async () => {
          const r = await api('GET', `/v1/payments/${id}`);
          return (r.body as { status?: string }).status === 'completed' ? r.body : undefined;
        });

      // 1. A payment post read from the holder's stream.
      const first = await pay(1_250, 'takeover-1');
      await completed(first.id);
      // Its receipt is sent and recorded before the kill. (A kill between X's answer and that record leaves
      // the reply uncertain until its lease ends; bot-replies.test.ts covers that case, not this test.)
      const audit = await openAuditDb(target);
      try {
        await until('the first receipt recorded as sent', async () => {
          const rows = await audit.query<{ n: string }>(
            `SELECT count(*)::text AS n FROM x_outbox WHERE payment_id = $1 AND sent_at IS NOT NULL`,
            [first.id],
          );
          return rows[0]?.n === '1' ? true : undefined;
        });
      } finally {
        await audit.close();
      }

      // 2. X's stream goes down and the holder dies (SIGKILL: its PostgreSQL session, and the lock, end).
      const searchesBefore = fx.searches.length;
      fx.streamsDown = true;
      fx.dropStreams();
      await holder.kill();
      // 3. A payment post made while nobody reads the stream.
      const second = await pay(700, 'takeover-2');
      // 4. The survivor takes the stream over and keeps trying to connect while X's stream is down.
      await holds[1 - holderIndex]!.reached(1);
      const refused = fx.streamsRefused;
      await fx.streamRefusals(refused + 1);
      fx.streamsDown = false;
      await fx.streamConnections(2);
      // 5. It fills the gap from search, from the newest post the dead instance stored.
      const searches = await fx.waitForSearches(searchesBefore + 1);
      assert.equal(searches[searchesBefore], first.tweetId);
      await completed(second.id);

      // Paid once each: balances moved once, one receipt reply per payment, each post decided once.
      const [recipientToken] = await login(survivor.port, [recipient!]);
      const me = (t: string) => httpRequest({ port: survivor.port, method: 'GET', path: '/v1/me', token: t });
      const payerBalance = ((await me(token!)).body as { balance: { availableCents: number } }).balance;
      const recipientBalance = ((await me(recipientToken!)).body as { balance: { availableCents: number } })
        .balance;
      assert.equal(payerBalance.availableCents, 10_000 - 1_250 - 700);
      assert.equal(recipientBalance.availableCents, 10_000 + 1_250 + 700);
      const replies = await fx.waitForPosts(2, BOT.id);
      assert.deepEqual(replies.map((r) => r.inReplyTo).sort(), [first.tweetId, second.tweetId].sort());
      assert.equal(await survivor.stop(), 0);
      assert.equal(fx.posts.filter((p) => p.authorId === BOT.id).length, 2, JSON.stringify(fx.posts));
      assert.deepEqual(holder.crashes, []);
      assert.deepEqual(survivor.crashes, []);
      const db = await openAuditDb(target);
      try {
        const decided = await db.query<{ tweet_id: string; n: string }>(
          `SELECT tweet_id, count(*)::text AS n FROM x_tweets WHERE tweet_id = ANY($1) GROUP BY tweet_id
           ORDER BY tweet_id`,
          [[first.tweetId, second.tweetId]],
        );
        assert.deepEqual(decided, [
          { tweet_id: first.tweetId, n: '1' },
          { tweet_id: second.tweetId, n: '1' },
        ]);
        const sources = await db.query<{ source: string }>(
          `SELECT e.source FROM x_events e JOIN x_tweets t ON t.event_id = e.id WHERE t.tweet_id = $1`,
          [second.tweetId],
        );
        assert.deepEqual(sources, [{ source: 'search' }]);
        const outbox = await db.query<{ sent: boolean }>(`SELECT sent_at IS NOT NULL AS sent FROM x_outbox`);
        assert.deepEqual(outbox, [{ sent: true }, { sent: true }]);
      } finally {
        await db.close();
      }
    } finally {
      for (const s of servers) await s.kill();
      await fx.close();
      await target.cleanup();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
);
