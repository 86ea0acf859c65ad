/**
 * The bot's reply outbox across a crash: a tweet payment commits its reply row, the wallet's worker starts
 * sending it to X (the stand-in holds the request), the server is killed with SIGKILL before X answers, X
 * never got the post; after a restart on the same data the reply is sent, exactly once.
 * On PGlite (a temp folder) and, when DATABASE_URL is set, on a fresh PostgreSQL database.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startFakeX } from '../fake-x/server';
import { xSignature } from '../../server/x/signature';
import { tweetCreateEvents, tweetObject } from '../helpers/x-payload';
import {
  databaseKinds,
  httpRequest,
  login,
  makeTarget,
  makeUsers,
  ServerProcess,
  writeSeed,
} from './harness';
import { openAuditDb } from './load';

const BOT = { id: '100000000000000009', username: 'SMoneyfr' };

for (const kind of databaseKinds()) {
  test(`${kind}: kill -9 between the reply's commit and its sending: sent once after the restart`, async () => {
    const fx = await startFakeX({ users: [BOT] });
    const target = await makeTarget(kind, 'bot-replies');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bot-replies-'));
    const [payer, recipient] = makeUsers(2, 10_000, 'br');
    const server = new ServerProcess({
      target,
      seedFile: writeSeed(tmp, [payer!, recipient!]),
      env: {
        ...fx.walletEnv(BOT.id),
        X_REPLY_INTERVAL_MS: '50',
        X_REPLY_LEASE_MS: '300',
      },
    });
    try {
      const port = await server.start();
      const [token] = await login(port, [payer!]);
      const pay = await httpRequest({
        port,
        method: 'POST',
        path: '/v1/payments',
        token: token!,
        idempotencyKey: 'bot-replies-1',
        body: { recipientHandle: recipient!.xHandle, amountCents: 1_250, currency: 'EUR', mode: 'tweet' },
      });
      assert.equal(pay.status, 201, JSON.stringify(pay.body));

      // X holds the bot's post without answering; the wallet is killed while it waits.
      fx.set({ mode: 'slow', slowMs: 10 * 60_000 });
      const tweetId = '1900000000000000001';
      const body = JSON.stringify(
        tweetCreateEvents(BOT.id, [
          tweetObject({
            tweetId,
            text: `@SMoneyfr #envoyer 12,50€ @${recipient!.xHandle}`,
            userId: payer!.xUserId,
            handle: payer!.xHandle,
            mentions: [
              { handle: BOT.username, userId: BOT.id },
              { handle: recipient!.xHandle, userId: recipient!.xUserId },
            ],
          }),
        ]),
      );
      const delivered = await fetch(`${server.url}/v1/webhooks/x`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-twitter-webhooks-signature': xSignature('fake-x-consumer-secret', body),
        },
        body,
      });
      assert.equal(delivered.status, 200);
      await fx.waitForRequests('POST /2/tweets');
      await server.kill();
      assert.deepEqual(fx.posts, [], 'X never got the post');

      fx.set({ mode: 'ok' });
      await server.start();
      const [reply] = await fx.waitForPosts(1);
      assert.equal(reply!.inReplyTo, tweetId);
      assert.equal(reply!.text, `✅ 12,50 € envoyés à @${recipient!.xHandle}`);
      assert.equal(await server.stop(), 0);
      assert.equal(fx.posts.length, 1, JSON.stringify(fx.posts));
      // The row is marked sent (so no later start sends it again), with the post id X gave.
      const db = await openAuditDb(target);
      try {
        const rows = await db.query<{ x_post_id: string; sent: boolean }>(
          `SELECT x_post_id, sent_at IS NOT NULL AS sent FROM x_outbox`,
        );
        assert.deepEqual(rows, [{ x_post_id: reply!.id, sent: true }]);
      } finally {
        await db.close();
      }
    } finally {
      await server.kill();
      await fx.close();
      await target.cleanup();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
}
