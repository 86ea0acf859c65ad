/**
 * The same payment rules through every way X delivers a post: Account Activity v1.1 (`tweet_create_events`),
 * the X Activity API envelope and Filtered Stream deliveries — valid, malformed, unsigned, replayed, edited
 * and deleted posts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_ID, setupWallet, uniq, xid, type TestWallet, type User } from '../../tests/helpers/server-app';
import {
  postV2,
  streamDelivery,
  tweetCreateEvents,
  tweetDeleteEvents,
  tweetObject,
  xaaEvent,
  type TweetInput,
} from '../../tests/helpers/x-payload';
import { xSignature } from './signature';

let w: TestWallet;
beforeAll(async () => {
  w = await setupWallet();
});
afterAll(() => w.close());

const send = (body: string, signature?: string | null) => w.xWebhook(body, signature);
const bot = { handle: 'SMoneyfr', userId: BOT_ID };
let seq = 0;
const tweetId = () => String(1_870_000_000_000_000_000n + BigInt(Date.now() % 1e9) * 1000n + BigInt(seq++));

type Format = 'aaa' | 'xaa' | 'stream';
/** The webhook body of `t` in `format` (a fresh event_uuid unless given). */
function body(format: Format, t: TweetInput & { editOf?: string[] }, eventUuid = randomUUID()): string {
  if (format === 'aaa') {
    const v1 = tweetObject(t);
    if (t.editOf)
      v1.edit_history = { initial_tweet_id: t.editOf[0], edit_tweet_ids: [...t.editOf, t.tweetId] };
    return JSON.stringify(tweetCreateEvents(BOT_ID, [v1]));
  }
  const v2 = postV2(t);
  if (format === 'stream') return JSON.stringify(streamDelivery(v2));
  return JSON.stringify(
    xaaEvent('post.create', v2.post, { eventUuid, filterUserId: t.userId, includes: v2.includes }),
  );
}
function deleteBody(format: Format, id: string, userId: string): string {
  if (format === 'xaa') {
    return JSON.stringify(
      xaaEvent('post.delete', { id, author_id: userId }, { eventUuid: randomUUID(), filterUserId: userId }),
    );
  }
  return JSON.stringify(tweetDeleteEvents(BOT_ID, [{ tweetId: id, userId }]));
}
const paying = (from: User, to: { handle: string; xUserId: string }, text: string): TweetInput => ({
  tweetId: tweetId(),
  text,
  userId: from.xUserId,
  handle: from.handle,
  mentions: [bot, { handle: to.handle, userId: to.xUserId }],
});
const list = async (u: User, status: string) =>
  (await w.req('GET', `/v1/payments?status=${status}`, { token: u.tokens.accessToken })).body.items as {
    id: string;
    amountCents: number;
    tweetId: string;
    status: string;
  }[];
const outcomes = async (id: string) =>
  (await w.db.query<{ outcome: string }>(`SELECT outcome FROM x_tweets WHERE tweet_id = $1`, [id])).map(
    (r) => r.outcome,
  );
const lastEvent = async () =>
  (await w.db.query<{ outcome: string | null }>(`SELECT outcome FROM x_events ORDER BY id DESC LIMIT 1`))[0]
    ?.outcome;

describe.each<Format>(['aaa', 'xaa', 'stream'])('%s deliveries', (format) => {
  it('a valid payment post holds the funds for confirmation; replayed, it pays once', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const t = paying(a, b, `@SMoneyfr #envoyer 12,50€ @${b.handle} merci`);
    const raw = body(format, t);
    expect((await send(raw)).status).toBe(200);
    expect((await send(raw)).status).toBe(200);
    const held = await list(a, 'awaiting_confirmation');
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ amountCents: 1_250, tweetId: t.tweetId });
    expect((await w.me(a)).balance).toEqual({ availableCents: 8_750, heldCents: 1_250 });
    expect(await outcomes(t.tweetId)).toEqual(['awaiting_confirmation']);
  });

  it('a post the extension asked for completes its awaiting_tweet payment', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const p = await w.pay(a, { recipientHandle: b.handle, amountCents: 700, mode: 'tweet' });
    const t = paying(a, b, `@SMoneyfr #envoyer 7€ @${b.handle}`);
    await send(body(format, t));
    expect((await w.req('GET', `/v1/payments/${p.id}`, { token: a.tokens.accessToken })).body).toMatchObject({
      status: 'completed',
      tweetId: t.tweetId,
    });
    expect((await w.me(b)).balance.availableCents).toBe(700);
  });

  it('malformed bodies and posts are stored, acknowledged and recorded; nothing pays', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const good = JSON.parse(body(format, paying(a, b, `@SMoneyfr #envoyer 1€ @${b.handle}`)));
    // break the post inside the delivery: no author
    if (format === 'aaa') delete good.tweet_create_events[0].user;
    else if (format === 'xaa') delete good.data.payload.author_id;
    else delete good.data.author_id;
    expect((await send(JSON.stringify(good))).status).toBe(200);
    expect(await lastEvent()).toBe(format === 'stream' ? 'malformed_tweet' : 'malformed_tweet');
    expect((await send('[1, 2]')).status).toBe(200);
    expect(await lastEvent()).toBe('malformed_event');
    expect(await list(a, 'awaiting_confirmation')).toEqual([]);
  });

  it('unsigned or wrongly signed: 401, nothing stored', async () => {
    const a = await w.user();
    const b = await w.user();
    const raw = body(format, paying(a, b, `@SMoneyfr #envoyer 1€ @${b.handle}`));
    const [before] = await w.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM x_events`);
    expect((await send(raw, null)).status).toBe(401);
    expect((await send(raw, xSignature('not the secret', raw))).status).toBe(401);
    const [after] = await w.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM x_events`);
    expect(after).toEqual(before);
  });

  it('an edit chain pays once, whichever version arrives first', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const first = paying(a, b, `@SMoneyfr #envoyer 3€ @${b.handle}`);
    const edit = { ...paying(a, b, `@SMoneyfr #envoyer 3€ @${b.handle} (edit)`), editOf: [first.tweetId] };
    await send(body(format, first));
    await send(body(format, edit));
    expect(await outcomes(edit.tweetId)).toEqual(['ignored_edit']);
    // the other order: the edit claims the chain, the original is then a duplicate
    const first2 = paying(a, b, `@SMoneyfr #envoyer 4€ @${b.handle}`);
    const edit2 = { ...paying(a, b, `@SMoneyfr #envoyer 4€ @${b.handle} !`), editOf: [first2.tweetId] };
    await send(body(format, edit2));
    await send(body(format, first2));
    expect((await list(a, 'awaiting_confirmation')).map((p) => p.amountCents).sort()).toEqual([300, 400]);
  });

  it('retweets, quotes, the bot’s own posts and unlinked authors pay nothing', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const text = `@SMoneyfr #envoyer 1€ @${b.handle}`;
    const cases: [TweetInput, string][] = [
      [{ ...paying(a, b, text), retweet: true }, format === 'aaa' ? 'ignored_retweet' : 'ignored_retweet'],
      [{ ...paying(a, b, text), quote: true }, 'ignored_quote'],
      [{ ...paying(a, b, text), userId: BOT_ID, handle: 'SMoneyfr' }, 'ignored_own_tweet'],
      [{ ...paying(a, b, text), userId: xid(), handle: uniq('n') }, 'payer_unlinked'],
    ];
    for (const [t, want] of cases) {
      await send(body(format, t));
      expect(await outcomes(t.tweetId), want).toEqual([want]);
    }
    expect(await list(a, 'awaiting_confirmation')).toEqual([]);
  });

  it('posts are read whole: 141–280 characters pay, a longer post (note_tweet) never does', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const c = await w.user();
    const mid = paying(a, b, `@SMoneyfr #envoyer 2€ @${b.handle} ${'merci '.repeat(25)}`);
    await send(body(format, mid));
    // Over 280 characters: X cuts `text` to 280 (which alone would parse), the whole is over the limit.
    const long = paying(a, b, `@SMoneyfr #envoyer 9€ @${b.handle} ${'très long message '.repeat(16)}`);
    await send(body(format, long));
    expect(await outcomes(long.tweetId)).toEqual(['grammar_too_long']);
    const reply: TweetInput = {
      ...paying(a, b, `@SMoneyfr #envoyer 5€ @${b.handle}`),
      replyTo: { tweetId: tweetId(), users: [{ handle: c.handle, userId: c.xUserId }] },
    };
    await send(body(format, reply));
    const held = await list(a, 'awaiting_confirmation');
    expect(held.map((p) => p.amountCents).sort()).toEqual([200, 500]);
    const [p] = held.filter((x) => x.amountCents === 500);
    const full = (await w.req('GET', `/v1/payments/${p!.id}`, { token: a.tokens.accessToken })).body;
    expect(full.recipient.handle).toBe(b.handle);
  });

  it('deleting the post cancels an unconfirmed payment (only its author can)', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const t = paying(a, b, `@SMoneyfr #envoyer 2€ @${b.handle}`);
    await send(body(format, t));
    const [p] = await list(a, 'awaiting_confirmation');
    await send(deleteBody(format, t.tweetId, b.xUserId));
    expect((await w.req('GET', `/v1/payments/${p!.id}`, { token: a.tokens.accessToken })).body.status).toBe(
      'awaiting_confirmation',
    );
    await send(deleteBody(format, t.tweetId, a.xUserId));
    expect((await w.req('GET', `/v1/payments/${p!.id}`, { token: a.tokens.accessToken })).body).toMatchObject(
      { status: 'canceled', failureReason: 'tweet_deleted' },
    );
    expect((await w.me(a)).balance).toEqual({ availableCents: 1_000, heldCents: 0 });
  });
});

describe('across formats', () => {
  it('the same post through AAA, XAA and the stream pays once', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const t = paying(a, b, `@SMoneyfr #envoyer 6€ @${b.handle}`);
    for (const f of ['xaa', 'aaa', 'stream'] as const) expect((await send(body(f, t))).status).toBe(200);
    expect(await list(a, 'awaiting_confirmation')).toHaveLength(1);
  });

  it('an X Activity API event re-delivered with its event_uuid is stored once', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const uuid = randomUUID();
    const t = paying(a, b, `@SMoneyfr #envoyer 1€ @${b.handle}`);
    await send(body('xaa', t, uuid));
    await send(body('xaa', t, uuid));
    const rows = await w.db.query(`SELECT id FROM x_events WHERE event_uuid = $1`, [uuid]);
    expect(rows).toHaveLength(1);
  });

  it('an XAA event type the wallet does not use is acknowledged and ignored', async () => {
    await send(
      JSON.stringify(xaaEvent('follow.follow', {}, { eventUuid: randomUUID(), filterUserId: BOT_ID })),
    );
    expect(await lastEvent()).toBe('ignored_event_type');
  });

  it('a mention without its id is resolved from includes.users; a handle X shows anew is taken', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const renamed = uniq('nh');
    const t = { ...paying(a, b, `@SMoneyfr #envoyer 1€ @${b.handle}`), handle: renamed };
    const v2 = postV2(t);
    const ents = v2.post.entities as { mentions: { id?: string }[] };
    for (const m of ents.mentions) delete m.id;
    await send(JSON.stringify(streamDelivery(v2)));
    expect(await list(a, 'awaiting_confirmation')).toHaveLength(1);
    expect((await w.me(a)).xHandle).toBe(renamed);
  });
});
