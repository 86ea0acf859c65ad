/**
 * Attacks: abuse of the X webhook. Bad, missing and replayed signatures; the same tweet delivered twice
 * and concurrently; payment tweets from unlinked or impersonating accounts (right handle, wrong X user id); a
 * tweet edited after posting (X gives the edit a new id). None of them may pay, or pay twice.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xSignature } from './signature';
import {
  ALICE,
  expectProblem,
  ME,
  redWallet,
  SECRET,
  type RedWallet,
} from '../../tests/helpers/server-attacker';

let w: RedWallet;
let token: string;
let tweetN = 3_000_000;
const nextTweetId = () => String(++tweetN);
const aliceMention = [{ handle: ALICE.handle, userId: ALICE.xUserId }];
const payAlice = (tweetId: string, amount = '5EUR') => ({
  tweetId,
  text: `@SMoneyfr #envoyer ${amount} @alice`,
  userId: ME.xUserId,
  handle: ME.handle,
  mentions: aliceMention,
});

async function paymentsOf(tweetIds: string[]) {
  return w.deps.db.query<{ id: string; status: string; amount_cents: string; recipient_id: string | null }>(
    `SELECT id, status, amount_cents, recipient_id FROM payments WHERE tweet_id = ANY($1::text[])`,
    [tweetIds],
  );
}
async function eventCount(): Promise<number> {
  const [r] = await w.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM x_events`);
  return r!.n;
}

beforeAll(async () => {
  w = await redWallet();
  token = (await w.login(ME.email)).accessToken;
});
afterAll(() => w.close());

describe('red team: X webhook abuse', () => {
  it('should refuse missing, malformed and forged signatures before storing anything', async () => {
    const before = await w.snapshot();
    const events = await eventCount();
    const body = JSON.stringify(w.tweet(payAlice(nextTweetId())));
    const good = xSignature(SECRET, body);
    const forged = [
      null, // missing
      '',
      'sha256=',
      good.slice(0, -2), // truncated
      good + '=',
      good.toUpperCase(),
      good.replace('sha256=', 'SHA256='),
      good.replace('sha256=', 'sha1='),
      good.slice('sha256='.length), // no prefix
      xSignature('wrong-secret', body),
      xSignature(SECRET, body + ' '), // signed another body
      xSignature(SECRET, JSON.stringify(JSON.parse(body), null, 1)), // same JSON, other bytes
      'sha256=' + createHmac('sha256', SECRET).update(body).digest('hex'), // hex, not base64
      'sha256=' + createHmac('sha1', SECRET).update(body).digest('base64'),
      `${good}, ${good}`,
    ];
    for (const sig of forged) {
      expectProblem(await w.deliver(body, sig), `signature ${JSON.stringify(sig)}`, 401);
    }
    expect(await eventCount()).toBe(events);
    expect(await w.snapshot()).toBe(before);
  });

  it('should refuse everything, fail closed, when no consumer secret is configured', async () => {
    const open = await redWallet({ xConsumerSecret: null });
    try {
      const body = JSON.stringify(open.tweet(payAlice(nextTweetId())));
      for (const sig of [null, xSignature('', body), xSignature('undefined', body), 'sha256=']) {
        expectProblem(await open.deliver(body, sig), `unconfigured ${String(sig)}`, 401);
      }
      expectProblem(await open.call('GET', '/v1/webhooks/x?crc_token=abc'), 'CRC without secret', 401);
    } finally {
      await open.close();
    }
  });

  it('should pay once for a tweet delivered twice, replayed later and delivered concurrently', async () => {
    const tweetId = nextTweetId();
    const body = w.tweet(payAlice(tweetId));
    expect((await w.deliver(body)).status).toBe(200);
    expect((await w.deliver(body)).status).toBe(200); // X retries
    w.now.ms += 3_600_000; // a replay an hour later, same signed bytes
    expect((await w.deliver(body)).status).toBe(200);
    // The same tweet inside another (validly signed) envelope.
    expect((await w.deliver({ ...body, user_has_blocked: 'true' })).status).toBe(200);
    const replies = await Promise.all(Array.from({ length: 12 }, () => w.deliver(body)));
    expect(replies.map((r) => r.status)).toEqual(Array(12).fill(200));
    const payments = await paymentsOf([tweetId]);
    expect(payments).toHaveLength(1);
    expect(payments[0]?.status).toBe('awaiting_confirmation');

    // A fresh tweet delivered concurrently from the start.
    const t2 = nextTweetId();
    const b2 = w.tweet(payAlice(t2, '2EUR'));
    await Promise.all(Array.from({ length: 12 }, () => w.deliver(b2)));
    const fresh = await paymentsOf([t2]);
    expect(fresh).toHaveLength(1);

    // Confirming it twice (two keys, as two clicks would send) moves the money once.
    token = (await w.login(ME.email)).accessToken; // the clock moved past the first access token
    const id = fresh[0]!.id;
    const c1 = await w.call('POST', `/v1/payments/${id}/confirm`, {
      token,
      headers: { 'idempotency-key': 'c-1' },
    });
    const c2 = await w.call('POST', `/v1/payments/${id}/confirm`, {
      token,
      headers: { 'idempotency-key': 'c-2' },
    });
    expect(c1.status, c1.text).toBe(200);
    expect(c1.body?.status).toBe('completed');
    expectProblem(c2, 'second confirmation', 409);
    const [moved] = await w.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM transfers WHERE payment_id = $1 AND kind = 'payment'`,
      [id],
    );
    expect(moved?.n).toBe(1);
    await w.audit();
  });

  it('should not pay for a tweet from an unlinked account, even one showing a linked handle', async () => {
    const before = await w.snapshot();
    const unlinked = nextTweetId();
    await w.deliver(w.tweet({ ...payAlice(unlinked), userId: '555000000000000001', handle: 'nobody_here' }));
    // An impostor renamed to @tp_me: same handle, another X user id.
    const impostor = nextTweetId();
    await w.deliver(w.tweet({ ...payAlice(impostor), userId: '555000000000000002', handle: ME.handle }));
    // The bot's own tweets and retweets of a real payment tweet are ignored too.
    const retweet = nextTweetId();
    await w.deliver(w.tweet({ ...payAlice(retweet), retweet: true }));
    expect(await paymentsOf([unlinked, impostor, retweet])).toEqual([]);
    const outcomes = await w.deps.db.query<{ tweet_id: string; outcome: string }>(
      `SELECT tweet_id, outcome FROM x_tweets WHERE tweet_id = ANY($1::text[]) ORDER BY tweet_id`,
      [[unlinked, impostor]],
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['payer_unlinked', 'payer_unlinked']);
    expect(await w.snapshot()).toBe(before);
  });

  it('should never credit the real @alice for a mention of an impostor named alice', async () => {
    const aliceBefore = await w.call('GET', '/v1/me', { token: (await w.login(ALICE.email)).accessToken });
    const tweetId = nextTweetId();
    await w.deliver(
      w.tweet({ ...payAlice(tweetId), mentions: [{ handle: 'alice', userId: '555000000000000003' }] }),
    );
    const [p] = await paymentsOf([tweetId]);
    expect(p).toBeDefined();
    expect(p?.recipient_id).toBeNull(); // not alice's account
    const confirmed = await w.call('POST', `/v1/payments/${p!.id}/confirm`, {
      token,
      headers: { 'idempotency-key': `imp-${tweetId}` },
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body?.status).toBe('claimable'); // escrow for the X user id that was really mentioned
    const aliceAfter = await w.call('GET', '/v1/me', { token: (await w.login(ALICE.email)).accessToken });
    expect(aliceAfter.body?.balance).toEqual(aliceBefore.body?.balance);
    await w.audit();
  });

  it('should not create a second payment when a payment tweet is edited (the edit has a new id)', async () => {
    const edit = (original: string, edited: string, amount = '5EUR') => ({
      ...w.tweet(payAlice(edited, amount)),
    });
    const withHistory = (body: Record<string, unknown>, initial: string, ids: string[]) => {
      const events = body.tweet_create_events as Record<string, unknown>[];
      return {
        ...body,
        tweet_create_events: events.map((t) => ({
          ...t,
          edit_history: { initial_tweet_id: initial, edit_tweet_ids: ids },
        })),
      };
    };
    // Hand-typed tweet, then its edit (same text, a typo fixed elsewhere, or another amount).
    const original = nextTweetId();
    const edited = nextTweetId();
    await w.deliver(withHistory(w.tweet(payAlice(original)), original, [original]));
    await w.deliver(withHistory(edit(original, edited, '50EUR'), original, [original, edited]));
    const payments = await paymentsOf([original, edited]);
    expect(payments).toHaveLength(1);
    expect(Number(payments[0]?.amount_cents)).toBe(500); // the first version counts

    // The edit delivered before the original (X does not order deliveries): still one payment.
    const o2 = nextTweetId();
    const e2 = nextTweetId();
    await w.deliver(withHistory(edit(o2, e2), o2, [o2, e2]));
    await w.deliver(withHistory(w.tweet(payAlice(o2)), o2, [o2]));
    expect(await paymentsOf([o2, e2])).toHaveLength(1);

    // A tweet the extension asked for (awaiting_tweet), completed by the original; its edit pays nothing more.
    const created = await w.call('POST', '/v1/payments', {
      body: { recipientHandle: ALICE.handle, amountCents: 300, currency: 'EUR', mode: 'tweet' },
      token,
      headers: { 'idempotency-key': 'edit-tweet-mode' },
    });
    expect(created.status, created.text).toBe(201);
    const o3 = nextTweetId();
    const e3 = nextTweetId();
    await w.deliver(withHistory(w.tweet(payAlice(o3, '3EUR')), o3, [o3]));
    await w.deliver(withHistory(edit(o3, e3, '3EUR'), o3, [o3, e3]));
    const third = await paymentsOf([o3, e3]);
    expect(third).toHaveLength(1);
    expect(third[0]).toMatchObject({ id: created.body?.id, status: 'completed' });
    await w.audit();
  });
});
