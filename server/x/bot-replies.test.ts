/**
 * The bot's replies against the local stand-in for X: written in the payment's transaction, sent once
 * (receipt or invitation, in the payer's language, ≤ 280 weighted characters), never for a post that paid
 * nothing, nothing without credentials; 429 + x-rate-limit-reset, token rotation on 401, two workers at
 * once, and an answer lost on the way back (the reply is found on X, not posted twice).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { weightedLength } from '../../core/weighted-length';
import type { FakeX } from '../../tests/fake-x/server';
import {
  BOT_ID,
  setupWalletAndX,
  uniq,
  xid,
  type TestWallet,
  type User,
} from '../../tests/helpers/server-app';
import { replyText, seedBotTokens, sendDueReplies } from './bot';
import { tweetCreateEvents, tweetObject, type TweetInput } from '../../tests/helpers/x-payload';

let w: TestWallet;
let fx: FakeX;
let close: () => Promise<void>;
beforeAll(async () => ({ w, fx, close } = await setupWalletAndX()));
afterAll(() => close());

function configureX(withBot: boolean) {
  w.deps.x = fx.walletConfig(withBot ? BOT_ID : undefined);
}
const sendAll = () => sendDueReplies(w.deps, { backoffBaseMs: 1_000 });

let seq = 0;
const tweetId = () => String(1_880_000_000_000_000_000n + BigInt(Date.now() % 1e9) * 1000n + BigInt(seq++));
async function tweet(from: User, to: { handle: string; xUserId: string }, text: string, lang = 'fr') {
  const t: TweetInput = {
    tweetId: tweetId(),
    text,
    userId: from.xUserId,
    handle: from.handle,
    mentions: [
      { handle: 'SMoneyfr', userId: BOT_ID },
      { handle: to.handle, userId: to.xUserId },
    ],
  };
  const obj = { ...tweetObject(t), lang };
  const body = JSON.stringify(tweetCreateEvents(BOT_ID, [obj]));
  expect((await w.xWebhook(body)).status).toBe(200);
  return t.tweetId;
}
/** A tweet the extension asked for: pays at once (completed, or claimable without a wallet). */
async function tweetPayment(from: User, to: { handle: string; xUserId: string }, cents: number, lang = 'fr') {
  await w.pay(from, { recipientHandle: to.handle, amountCents: cents, mode: 'tweet' });
  const euros =
    cents % 100 ? `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}` : cents / 100;
  return tweet(from, to, `@SMoneyfr #envoyer ${euros}€ @${to.handle}`, lang);
}
const outbox = () =>
  w.db.query<{ kind: string; in_reply_to: string; sent_at: Date | null; failed_at: Date | null }>(
    `SELECT kind, in_reply_to, sent_at, failed_at FROM x_outbox ORDER BY id`,
  );
const repliesTo = (id: string) => fx.posts.filter((p) => p.inReplyTo === id);

describe('without bot credentials', () => {
  it('nothing is written, nothing is sent', async () => {
    configureX(false);
    expect(await seedBotTokens(w.deps)).toBe(false);
    const a = await w.user({ balanceCents: 5_000 });
    const b = await w.user();
    await tweetPayment(a, b, 500);
    expect(await outbox()).toEqual([]);
    expect(await sendAll()).toBe(0);
    expect(fx.posts).toEqual([]);
  });
});

describe('with bot credentials', () => {
  beforeAll(async () => {
    configureX(true);
    expect(await seedBotTokens(w.deps)).toBe(true);
  });
  beforeEach(() => {
    fx.set({ mode: 'ok' }); // the clock only moves forward here (a rate-limit pause stays in the past)
  });

  it('a completed tweet payment gets one receipt reply in French', async () => {
    const a = await w.user({ balanceCents: 5_000 });
    const b = await w.user();
    const id = await tweetPayment(a, b, 1_250);
    expect(await sendAll()).toBe(1);
    expect(await sendAll()).toBe(0);
    expect(repliesTo(id)).toEqual([
      expect.objectContaining({ text: `✅ 12,50 € envoyés à @${b.handle}`, authorId: BOT_ID }),
    ]);
  });

  it('someone without a wallet gets an invitation: amount, days left, claim link; English for an English post', async () => {
    const a = await w.user({ balanceCents: 5_000 });
    const friend = { handle: uniq('f'), xUserId: xid() };
    const id = await tweetPayment(a, friend, 700, 'en');
    await sendAll();
    const [reply] = repliesTo(id);
    expect(reply!.text).toContain(`@${friend.handle}, €7 from @${a.handle} is waiting for you`);
    expect(reply!.text).toContain(`(${w.deps.config.claimDays} more days)`);
    expect(reply!.text).toContain('https://wallet.example/claim');
    expect(weightedLength(reply!.text)).toBeLessThanOrEqual(280);
  });

  it('a hand-typed post gets its reply when the payer confirms, not before; failed posts never get one', async () => {
    const a = await w.user({ balanceCents: 5_000 });
    const b = await w.user();
    const id = await tweet(a, b, `@SMoneyfr #envoyer 3€ @${b.handle}`);
    const unlinked = { ...a, xUserId: xid() };
    const nothing = await tweet(unlinked, b, `@SMoneyfr #envoyer 3€ @${b.handle}`);
    const tooMuch = await tweet(a, b, `@SMoneyfr #envoyer 99999€ @${b.handle}`);
    await sendAll();
    expect([...repliesTo(id), ...repliesTo(nothing), ...repliesTo(tooMuch)]).toEqual([]);
    const [p] = (
      await w.req('GET', '/v1/payments?status=awaiting_confirmation', { token: a.tokens.accessToken })
    ).body.items;
    await w.req('POST', `/v1/payments/${p.id}/confirm`, { token: a.tokens.accessToken, key: uniq('k') });
    await sendAll();
    expect(repliesTo(id)).toHaveLength(1);
    expect([...repliesTo(nothing), ...repliesTo(tooMuch)]).toEqual([]);
  });

  it('429: waits for x-rate-limit-reset, then sends', async () => {
    const a = await w.user({ balanceCents: 5_000 });
    const b = await w.user();
    const reset = Math.ceil(w.clock.now().getTime() / 1000) + 600;
    fx.set({ rateLimitReset: reset });
    const id = await tweetPayment(a, b, 100);
    expect(await sendAll()).toBe(0);
    expect(await sendAll()).toBe(0); // paused, X is not even asked
    expect(repliesTo(id)).toEqual([]);
    w.clock.advance(601_000);
    expect(await sendAll()).toBe(1);
    expect(repliesTo(id)).toHaveLength(1);
  });

  it('401: the bot token is refreshed (rotated in the database) and the reply goes out', async () => {
    const a = await w.user({ balanceCents: 5_000 });
    const b = await w.user();
    const [before] = await w.db.query<{ refresh_token: string }>(`SELECT refresh_token FROM x_bot_tokens`);
    fx.expireAccessTokens();
    const id = await tweetPayment(a, b, 200);
    expect(await sendAll()).toBe(1);
    expect(repliesTo(id)).toHaveLength(1);
    const [after] = await w.db.query<{ refresh_token: string }>(`SELECT refresh_token FROM x_bot_tokens`);
    expect(after!.refresh_token).not.toBe(before!.refresh_token);
  });

  it('X down: retried with back-off; two workers at once send each reply once', async () => {
    const a = await w.user({ balanceCents: 50_000 });
    const b = await w.user();
    fx.set({ mode: 'down' });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await tweetPayment(a, b, 100 + i));
    expect(await sendAll()).toBe(0);
    fx.set({ mode: 'ok' });
    expect(await sendAll()).toBe(0); // back-off: not due yet
    w.clock.advance(60_000);
    const [x, y] = await Promise.all([sendAll(), sendAll()]);
    expect(x + y).toBe(5);
    for (const id of ids) expect(repliesTo(id), id).toHaveLength(1);
  });

  it('an answer lost on the way back: the reply is found on X and not posted twice', async () => {
    const a = await w.user({ balanceCents: 5_000 });
    const b = await w.user();
    fx.set({ mode: 'lost_answer' });
    const id = await tweetPayment(a, b, 300);
    expect(await sendAll()).toBe(0);
    expect(repliesTo(id)).toHaveLength(1); // X has it, the wallet could not know
    fx.set({ mode: 'ok' });
    w.clock.advance(60_000);
    expect(await sendAll()).toBe(1);
    expect(repliesTo(id)).toHaveLength(1);
    const rows = (await outbox()).filter((r) => r.in_reply_to === id);
    expect(rows).toEqual([expect.objectContaining({ kind: 'receipt', sent_at: expect.any(Date) })]);
  });
});

describe('reply texts', () => {
  it('stay within 280 weighted characters with the longest handles, amounts and addresses', () => {
    const now = new Date(0);
    for (const lang of ['fr', 'en'] as const) {
      for (const kind of ['receipt', 'invitation'] as const) {
        const t = replyText(
          {
            kind,
            lang,
            amountCents: 10_000_000,
            recipientHandle: 'a'.repeat(15),
            payerHandle: 'b'.repeat(15),
            expiresAt: new Date(14 * 86_400_000),
          },
          `https://wallet.${'w'.repeat(60)}.example/claim`,
          now,
        );
        expect(weightedLength(t), t).toBeLessThanOrEqual(280);
      }
    }
  });
});
