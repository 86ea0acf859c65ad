import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweep } from '../sweeper';
import {
  BOT_ID,
  setupWallet,
  uniq,
  X_SECRET,
  xid,
  type TestWallet,
  type User,
} from '../../tests/helpers/server-app';
import {
  tweetCreateEvents,
  tweetDeleteEvents,
  tweetObject,
  type TweetInput,
} from '../../tests/helpers/x-payload';
import { verifyXSignature, xSignature } from './signature';

let w: TestWallet;
beforeAll(async () => {
  w = await setupWallet();
});
afterAll(() => w.close());

const post = (body: string, signature?: string | null) => w.xWebhook(body, signature);
const deliver = (...tweets: Record<string, unknown>[]) =>
  post(JSON.stringify(tweetCreateEvents(BOT_ID, tweets)));
const bot = { handle: 'SMoneyfr', userId: BOT_ID };
let tweetSeq = 0;
const tweetId = () =>
  String(1_860_000_000_000_000_000n + BigInt(Date.now() % 1e9) * 1000n + BigInt(tweetSeq++));

/** A tweet by `from` paying `to` (mentions resolved with their X ids). */
const tweet = (
  from: User,
  to: { handle: string; xUserId: string },
  text: string,
  extra: Partial<TweetInput> = {},
) =>
  tweetObject({
    tweetId: tweetId(),
    text,
    userId: from.xUserId,
    handle: from.handle,
    mentions: [bot, { handle: to.handle, userId: to.xUserId }],
    ...extra,
  });
const list = async (u: User, status?: string) =>
  (await w.req('GET', `/v1/payments${status ? `?status=${status}` : ''}`, { token: u.tokens.accessToken }))
    .body.items;
const outcomes = async (id: string) =>
  (await w.db.query<{ outcome: string }>(`SELECT outcome FROM x_tweets WHERE tweet_id = $1`, [id])).map(
    (r) => r.outcome,
  );

describe('signatures', () => {
  it("autohook's public test vector", () => {
    const body = '{"test_number":1,"test_string":"two"}';
    expect(xSignature('test', body)).toBe('sha256=YWHphPn/JFq43jkF0y4/w8R/SelmLjvpunhVFY8JhlI=');
    const raw = new TextEncoder().encode(body);
    expect(verifyXSignature('test', 'sha256=YWHphPn/JFq43jkF0y4/w8R/SelmLjvpunhVFY8JhlI=', raw)).toBe(true);
    expect(verifyXSignature('test', 'sha256=YWHphPn/JFq43jkF0y4/w8R/SelmLjvpunhVFY8JhlJ=', raw)).toBe(false);
    expect(verifyXSignature('test', 'sha256=short', raw)).toBe(false);
    expect(verifyXSignature('test', undefined, raw)).toBe(false);
    expect(verifyXSignature(undefined, 'sha256=YWHphPn/JFq43jkF0y4/w8R/SelmLjvpunhVFY8JhlI=', raw)).toBe(
      false,
    );
  });

  it('CRC answers sha256=base64(HMAC(secret, crc_token))', async () => {
    const r = await w.req('GET', '/v1/webhooks/x?crc_token=abc123');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ response_token: xSignature(X_SECRET, 'abc123') });
    expect((await w.req('GET', '/v1/webhooks/x')).status).toBe(400);
  });

  it('unsigned, badly signed or wrong-length signatures → 401, nothing stored, nothing parsed', async () => {
    const before = await w.db.query(`SELECT count(*)::int AS n FROM x_events`);
    const body = JSON.stringify({ for_user_id: BOT_ID, tweet_create_events: [] });
    for (const sig of [
      null,
      '',
      'sha256=',
      xSignature('wrong secret', body),
      xSignature(X_SECRET, body) + 'A',
      'md5=xyz',
    ]) {
      const r = await post(body, sig);
      expect(r.status, String(sig)).toBe(401);
      expect(r.body.code).toBe('unauthorized');
    }
    // not even JSON: still 401, not 400, because nothing is parsed before the signature
    expect((await post('{not json', 'sha256=AAAA')).status).toBe(401);
    expect(await w.db.query(`SELECT count(*)::int AS n FROM x_events`)).toEqual(before);
  });

  it('without a configured secret the webhook refuses everything (fail closed)', async () => {
    const secret = w.deps.xConsumerSecret;
    delete w.deps.xConsumerSecret;
    try {
      const body = '{}';
      expect((await post(body, xSignature('', body))).status).toBe(401);
      expect((await w.req('GET', '/v1/webhooks/x?crc_token=abc')).status).toBe(401);
    } finally {
      w.deps.xConsumerSecret = secret;
    }
  });

  it('a signed body that is not JSON is stored and acknowledged, and recorded as malformed', async () => {
    const r = await post('{oops');
    expect(r.status).toBe(200);
    const [row] = await w.db.query<{ outcome: string }>(
      `SELECT outcome FROM x_events ORDER BY id DESC LIMIT 1`,
    );
    expect(row?.outcome).toBe('malformed_event');
  });
});

describe('tweets', () => {
  it('a tweet matching an awaiting_tweet payment completes it; delivered twice, it pays once', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const p = await w.pay(a, {
      recipientHandle: b.handle,
      amountCents: 1_250,
      mode: 'tweet',
      message: 'merci',
    });
    const t = tweet(a, b, p.tweetText!);
    expect((await deliver(t)).status).toBe(200);
    expect((await deliver(t)).status).toBe(200);
    const done = (await w.req('GET', `/v1/payments/${p.id}`, { token: a.tokens.accessToken })).body;
    expect(done).toMatchObject({
      status: 'completed',
      tweetId: t.id_str,
      tweetText: p.tweetText,
      expiresAt: null,
    });
    expect((await w.me(b)).balance.availableCents).toBe(1_250);
    expect((await w.me(a)).balance).toEqual({ availableCents: 8_750, heldCents: 0 });
    expect(await outcomes(t.id_str as string)).toEqual(['matched_completed']);
    expect(await list(a, 'awaiting_confirmation')).toEqual([]);
  });

  it('a hand-typed tweet creates an awaiting_confirmation payment that the payer confirms', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const shop = await w.user({ kind: 'business' });
    const t = tweet(a, shop, `Pour le pain @${shop.handle} #Envoyer 20€ @SMoneyfr`);
    await deliver(t);
    const [p] = await list(a, 'awaiting_confirmation');
    expect(p).toMatchObject({
      amountCents: 2_000,
      recipient: { handle: shop.handle, registered: true },
      tweetId: t.id_str,
      mode: 'tweet',
    });
    expect((await w.me(a)).balance).toEqual({ availableCents: 8_000, heldCents: 2_000 });
    const r = await w.req('POST', `/v1/payments/${p.id}/confirm`, {
      token: a.tokens.accessToken,
      key: uniq('k'),
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'completed', feeCents: 30 });
    expect((await w.me(shop)).balance.availableCents).toBe(1_970);
  });

  it('hand-typed to an X user without a wallet: confirmed → claimable, claimed by X user id on link', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const friend = { handle: uniq('f'), xUserId: xid() };
    await deliver(tweet(a, friend, `@SMoneyfr #envoyer 5EUR @${friend.handle}`));
    const [p] = await list(a, 'awaiting_confirmation');
    const r = await w.req('POST', `/v1/payments/${p.id}/confirm`, {
      token: a.tokens.accessToken,
      key: uniq('k'),
    });
    expect(r.body.status).toBe('claimable');
    // the friend renamed the X account before signing up: the X user id still finds the payment
    const f = await w.user({ handle: uniq('r'), xUserId: friend.xUserId });
    expect((await w.me(f)).balance.availableCents).toBe(500);
  });

  it('a tweet from an awaiting_tweet to someone without a wallet becomes claimable', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const friend = { handle: uniq('f'), xUserId: xid() };
    const p = await w.pay(a, { recipientHandle: friend.handle, amountCents: 700, mode: 'tweet' });
    await deliver(tweet(a, friend, p.tweetText!));
    const got = (await w.req('GET', `/v1/payments/${p.id}`, { token: a.tokens.accessToken })).body;
    expect(got.status).toBe('claimable');
  });

  it('long tweets: the text comes from extended_tweet.full_text', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const msg =
      'un message assez long pour dépasser les cent quarante caractères de l’ancien format, vraiment très long, ' +
      'oui, vraiment, il faut le dire';
    const t = tweet(a, b, `${msg} @SMoneyfr #envoyer 3EUR @${b.handle}`);
    expect(t.truncated).toBe(true);
    expect(String(t.text)).not.toContain('#envoyer 3EUR');
    await deliver(t);
    const [p] = await list(a, 'awaiting_confirmation');
    expect(p).toMatchObject({ amountCents: 300, recipient: { handle: b.handle } });
  });

  it('replies: the mentions X adds before display_text_range are not part of the payment', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const c = await w.user();
    const t = tweet(a, b, `@SMoneyfr #envoyer 4EUR @${b.handle}`, {
      replyTo: { tweetId: '1', users: [{ handle: c.handle, userId: c.xUserId }] },
    });
    expect(t.display_text_range).toEqual([c.handle.length + 2, expect.any(Number)]);
    await deliver(t);
    const [p] = await list(a, 'awaiting_confirmation');
    expect(p).toMatchObject({ amountCents: 400, recipient: { handle: b.handle } });
  });

  it('retweets, quotes, the bot’s own tweets, unlinked authors and grammar errors never pay', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const stranger = { xUserId: xid(), handle: uniq('s') } as User;
    const text = `@SMoneyfr #envoyer 2EUR @${b.handle}`;
    const cases: [Record<string, unknown>, string][] = [
      [tweet(a, b, text, { retweet: true }), 'ignored_retweet'],
      [tweet(a, b, text, { quote: true }), 'ignored_quote'],
      [tweet({ ...a, xUserId: BOT_ID, handle: 'SMoneyfr' }, b, text), 'ignored_own_tweet'],
      [tweet(stranger, b, text), 'payer_unlinked'],
      [tweet(a, b, `@SMoneyfr #envoyer 2 euros @${b.handle}`), 'grammar_currency_separated'],
      [tweet(a, b, `@SMoneyfr #envoyer 2EUR 3EUR @${b.handle}`), 'grammar_several_amounts'],
      [tweet(a, b, `@SMoneyfr #envoyer 2EUR @${b.handle}`, { mentions: [bot] }), 'recipient_unresolved'],
    ];
    await deliver(...cases.map(([t]) => t));
    for (const [t, want] of cases) {
      const id = String((t.retweeted_status as { id_str?: string } | undefined)?.id_str ?? t.id_str);
      expect(await outcomes(id), want).toEqual([want]);
    }
    expect(await list(a)).toEqual([]);
    expect((await w.me(b)).balance.availableCents).toBe(0);
  });

  it('rule violations by a linked payer are recorded as failed payments (no money moves)', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    await deliver(
      tweet(a, b, `@SMoneyfr #envoyer 300EUR @${b.handle}`),
      tweet(a, b, `@SMoneyfr #envoyer 20EUR @${b.handle}`),
      tweet(a, a, `@SMoneyfr #envoyer 1EUR @${a.handle}`),
    );
    const failed = await list(a, 'failed');
    expect(failed.map((p: { failureReason: string }) => p.failureReason).sort()).toEqual([
      'insufficient_funds',
      'limit_exceeded',
      'self_payment',
    ]);
    expect((await w.me(a)).balance).toEqual({ availableCents: 1_000, heldCents: 0 });
  });

  it('deleting the tweet cancels an unconfirmed payment; a delete before the tweet makes it ignored', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const t = tweet(a, b, `@SMoneyfr #envoyer 2EUR @${b.handle}`);
    await deliver(t);
    const [p] = await list(a, 'awaiting_confirmation');
    // someone else cannot delete it
    await post(JSON.stringify(tweetDeleteEvents(BOT_ID, [{ tweetId: String(t.id_str), userId: b.xUserId }])));
    expect((await w.req('GET', `/v1/payments/${p.id}`, { token: a.tokens.accessToken })).body.status).toBe(
      'awaiting_confirmation',
    );
    await post(JSON.stringify(tweetDeleteEvents(BOT_ID, [{ tweetId: String(t.id_str), userId: a.xUserId }])));
    const after = (await w.req('GET', `/v1/payments/${p.id}`, { token: a.tokens.accessToken })).body;
    expect(after).toMatchObject({ status: 'canceled', failureReason: 'tweet_deleted' });
    expect((await w.me(a)).balance).toEqual({ availableCents: 1_000, heldCents: 0 });

    const early = tweet(a, b, `@SMoneyfr #envoyer 3EUR @${b.handle}`);
    await post(
      JSON.stringify(tweetDeleteEvents(BOT_ID, [{ tweetId: String(early.id_str), userId: a.xUserId }])),
    );
    await deliver(early);
    expect(await list(a, 'awaiting_confirmation')).toEqual([]);
  });

  it('an event stored but not processed (process killed) is processed by the sweeper', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const t = tweet(a, b, `@SMoneyfr #envoyer 1EUR @${b.handle}`);
    await w.db.query(`INSERT INTO x_events (body, received_at) VALUES ($1, $2)`, [
      JSON.stringify(tweetCreateEvents(BOT_ID, [t])),
      w.clock.now(),
    ]);
    w.clock.advance(31_000);
    try {
      expect((await sweep(w.deps)).events).toBeGreaterThanOrEqual(1);
    } finally {
      w.clock.reset();
    }
    expect(await list(a, 'awaiting_confirmation')).toHaveLength(1);
    const [ev] = await w.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM x_events WHERE processed_at IS NULL`,
    );
    expect(ev?.n).toBe(0);
  });
});

describe('user events', () => {
  it('a revoked app authorization unlinks the X account: its tweets no longer pay', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const revoke = {
      for_user_id: BOT_ID,
      user_event: {
        revoke: {
          date_time: '2026-11-23T10:00:00+00:00',
          target: { app_id: '13090192' },
          source: { user_id: a.xUserId },
        },
      },
    };
    expect((await post(JSON.stringify(revoke))).status).toBe(200);
    expect(await w.me(a)).toMatchObject({ xHandle: null, xUserId: null });
    const t = tweet(a, b, `@SMoneyfr #envoyer 2EUR @${b.handle}`);
    await deliver(t);
    expect(await outcomes(String(t.id_str))).toEqual(['payer_unlinked']);
    // other event types are stored and ignored
    expect((await post(JSON.stringify({ for_user_id: BOT_ID, favorite_events: [{ id: '1' }] }))).status).toBe(
      200,
    );
    const [row] = await w.db.query<{ outcome: string }>(
      `SELECT outcome FROM x_events ORDER BY id DESC LIMIT 1`,
    );
    expect(row?.outcome).toBe('ignored_event_type');
  });
});

describe('expiry', () => {
  it('awaiting payments are canceled after confirmMinutes, claimable ones refunded after claimDays', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const untweeted = await w.pay(a, { recipientHandle: b.handle, amountCents: 100, mode: 'tweet' });
    await deliver(tweet(a, b, `@SMoneyfr #envoyer 2EUR @${b.handle}`));
    const [unconfirmed] = await list(a, 'awaiting_confirmation');
    const claim = await w.pay(a, { recipientHandle: uniq('n'), amountCents: 300 });
    expect((await w.me(a)).balance).toEqual({ availableCents: 9_400, heldCents: 600 });
    const status = async (id: string) =>
      (await w.req('GET', `/v1/payments/${id}`, { token: a.tokens.accessToken })).body;
    try {
      w.clock.advance(14 * 60_000);
      await sweep(w.deps);
      expect((await status(untweeted.id)).status).toBe('awaiting_tweet');
      w.clock.advance(61_000);
      await sweep(w.deps);
      await w.login(a);
      expect(await status(untweeted.id)).toMatchObject({ status: 'canceled', failureReason: 'expired' });
      expect((await status(unconfirmed.id)).status).toBe('canceled');
      expect((await status(claim.id)).status).toBe('claimable');
      // confirming too late is refused
      const late = await w.req('POST', `/v1/payments/${unconfirmed.id}/confirm`, {
        token: a.tokens.accessToken,
        key: uniq('k'),
      });
      expect(late.status).toBe(409);
      w.clock.advance(14 * 24 * 3600_000);
      await sweep(w.deps);
      await w.login(a);
      expect(await status(claim.id)).toMatchObject({ status: 'refunded', failureReason: 'unclaimed' });
    } finally {
      w.clock.reset();
    }
    await w.login(a);
    expect((await w.me(a)).balance).toEqual({ availableCents: 10_000, heldCents: 0 });
  });

  it('confirming after expiry but before the sweeper ran is refused too', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    await deliver(tweet(a, b, `@SMoneyfr #envoyer 2EUR @${b.handle}`));
    const [p] = await list(a, 'awaiting_confirmation');
    w.clock.advance(15 * 60_000 + 1);
    try {
      await w.login(a);
      const r = await w.req('POST', `/v1/payments/${p.id}/confirm`, {
        token: a.tokens.accessToken,
        key: uniq('k'),
      });
      expect(r.status).toBe(409);
      expect(r.body.detail).toMatch(/expired/);
    } finally {
      w.clock.reset();
    }
  });

  it('two sweepers at once never refund twice', async () => {
    const a = await w.user({ balanceCents: 5_000 });
    for (let i = 0; i < 30; i++) await w.pay(a, { recipientHandle: uniq('n'), amountCents: 100 });
    w.clock.advance(15 * 24 * 3600_000);
    try {
      const [r1, r2] = await Promise.all([sweep(w.deps), sweep(w.deps)]);
      expect(r1.expired + r2.expired).toBeGreaterThanOrEqual(30);
    } finally {
      w.clock.reset();
    }
    await w.login(a);
    expect((await w.me(a)).balance).toEqual({ availableCents: 5_000, heldCents: 0 });
  });
});
