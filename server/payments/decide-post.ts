/**
 * What a post on X does to payments: the one decision every ingestion path hands its posts to (server/x/events.ts
 * reads the Account Activity, X Activity API and Filtered Stream formats into a `PostedTweet` with server/x/post.ts).
 * - each post id is decided once (`x_tweets` primary key, claimed in the same transaction as the payment);
 *   of an edit chain, only the first version to arrive counts;
 * - payer and recipient are identified by X user id, never by handle alone;
 * - reposts, quotes and the bot's own posts are ignored;
 * - a post matching an `awaiting_tweet` payment of its author completes it, otherwise it creates an
 *   `awaiting_confirmation` payment (or a failed one, with the rule it breaks); a delete cancels an unconfirmed one.
 */
import { parsePaymentTweet } from '../../core/payment-tweet';
import { findByXUserId, type AccountRow } from '../accounts';
import type { Queryable } from '../db';
import type { Deps } from '../deps';
import { InsufficientFunds, post as postLegs } from '../ledger';
import { planPostedPayment } from './plan';
import {
  attachTweet,
  insertPayment,
  lockAwaitingTweet,
  lockUnconfirmedByTweet,
  setHoldFailed,
} from './store';
import { executeHeld, release } from './transitions';

/** A post as X published it, whatever format it arrived in. */
export interface PostedTweet {
  id: string;
  authorId: string;
  /** The author's handle when the delivery carries it (v1.1 `user`, v2 `includes.users`). */
  authorHandle?: string;
  /** The text X displays as the post's body (reply mentions X adds in front are outside it). */
  text: string;
  /** The mentions inside `text`, with the X user id each one names (missing only if X sent neither). */
  mentions: { id?: string; handle: string }[];
  repost: boolean;
  quote: boolean;
  /** The id of the first version of the post's edit chain (its own id when it was never edited). */
  firstVersionId: string;
  /** The language X detected (`fr`, `en`, …): the bot answers in it. */
  lang?: string;
}

/**
 * Decides one post and records the outcome under its id; returns the outcome (`matched_completed`,
 * `awaiting_confirmation`, `duplicate`, `grammar_…`, …). `eventId` is the stored delivery it came in, if any;
 * `botId` the X user id of the wallet's bot when the delivery names it.
 */
export async function decidePost(
  deps: Deps,
  eventId: number | null,
  t: PostedTweet,
  botId: string | undefined,
): Promise<string> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const claimed = await tx.query(
      `INSERT INTO x_tweets (tweet_id, event_id, x_user_id, outcome, created_at, lang)
       VALUES ($1, $2, $3, 'processing', $4, $5)
       ON CONFLICT (tweet_id) DO NOTHING RETURNING tweet_id`,
      [t.id, eventId, t.authorId, now, t.lang ?? null],
    );
    if (claimed.length === 0) return 'duplicate';
    // An edit is the same payment tweet again: the first version of the chain to arrive is the only one
    // that counts (an edit delivered first claims the original's id, so the original is then a duplicate).
    if (t.firstVersionId !== t.id) {
      const first = await tx.query(
        `INSERT INTO x_tweets (tweet_id, event_id, x_user_id, outcome, created_at) VALUES ($1, $2, $3, 'edited', $4)
         ON CONFLICT (tweet_id) DO NOTHING RETURNING tweet_id`,
        [t.firstVersionId, eventId, t.authorId, now],
      );
      if (first.length === 0) {
        await tx.query(`UPDATE x_tweets SET outcome = 'ignored_edit' WHERE tweet_id = $1`, [t.id]);
        return 'ignored_edit';
      }
    }
    const outcome = await decide(tx, deps, t, botId, now);
    await tx.query(`UPDATE x_tweets SET outcome = $2, payment_id = $3 WHERE tweet_id = $1`, [
      t.id,
      outcome.outcome,
      outcome.paymentId ?? null,
    ]);
    if (outcome.paymentId) {
      deps.log.info('payment tweet', {
        tweetId: t.id,
        outcome: outcome.outcome,
        paymentId: outcome.paymentId,
      });
    }
    return outcome.outcome;
  });
}

async function decide(
  tx: Queryable,
  deps: Deps,
  t: PostedTweet,
  botId: string | undefined,
  now: Date,
): Promise<{ outcome: string; paymentId?: string }> {
  const { config } = deps;
  if (t.repost) return { outcome: 'ignored_retweet' };
  if (t.quote) return { outcome: 'ignored_quote' };
  const bot = botId ?? deps.xBotUserId;
  if ((bot && t.authorId === bot) || t.authorHandle?.toLowerCase() === config.botHandle.toLowerCase()) {
    return { outcome: 'ignored_own_tweet' };
  }
  const grammar = parsePaymentTweet(t.text, { botHandle: config.botHandle, hashtag: config.hashtag });
  if (!grammar.ok) return { outcome: `grammar_${grammar.reason}` };
  const found = await findByXUserId(tx, t.authorId);
  if (!found) return { outcome: 'payer_unlinked' };
  const payer = t.authorHandle ? await refreshHandle(tx, found, t.authorHandle) : found;
  const named = t.mentions.find((m) => m.handle.toLowerCase() === grammar.recipientHandle.toLowerCase());
  if (!named?.id) return { outcome: 'recipient_unresolved' };
  const mention = { id: named.id, handle: named.handle };
  const recipient = await findByXUserId(tx, mention.id);
  const amount = grammar.amountCents;

  // A tweet the extension asked for: the oldest matching awaiting_tweet payment of this payer.
  const match = await lockAwaitingTweet(tx, {
    payerId: payer.id,
    amountCents: amount,
    recipientId: recipient?.id ?? null,
    recipientXUserId: mention.id,
    recipientHandle: mention.handle,
    now,
  });
  if (match) {
    await attachTweet(tx, match.id, { tweetId: t.id, tweetText: t.text, recipientXUserId: mention.id, now });
    const status = await executeHeld(
      tx,
      config,
      { ...match, tweet_id: t.id, recipient_x_user_id: mention.id },
      now,
    );
    return { outcome: `matched_${status}`, paymentId: match.id };
  }

  // A hand-typed tweet: hold the funds until the payer confirms in the wallet.
  const { row, legs } = planPostedPayment(
    config,
    payer,
    recipient,
    {
      tweetId: t.id,
      text: t.text,
      amountCents: amount,
      message: grammar.message,
      recipientXUserId: mention.id,
      recipientHandle: mention.handle,
    },
    now,
  );
  await insertPayment(tx, row);
  if (row.status === 'failed') return { outcome: `failed_${row.failureReason}`, paymentId: row.id };
  try {
    await tx.query('SAVEPOINT hold');
    await postLegs(tx, legs, row.id, now);
    await tx.query('RELEASE SAVEPOINT hold');
  } catch (err) {
    if (!(err instanceof InsufficientFunds)) throw err;
    await tx.query('ROLLBACK TO SAVEPOINT hold');
    await setHoldFailed(tx, row.id);
    return { outcome: 'failed_insufficient_funds', paymentId: row.id };
  }
  return { outcome: 'awaiting_confirmation', paymentId: row.id };
}

/**
 * X shows a new handle for a linked account: the account takes it (money follows the X user id; an
 * account that still shows that handle from before lost it on X, so it no longer shows it).
 */
export async function refreshHandle(tx: Queryable, a: AccountRow, handle: string): Promise<AccountRow> {
  if (a.x_handle === handle || !a.x_user_id) return a;
  await tx.query(`UPDATE accounts SET x_handle = NULL WHERE lower(x_handle) = lower($1) AND id <> $2`, [
    handle,
    a.id,
  ]);
  await tx.query(`UPDATE accounts SET x_handle = $2 WHERE id = $1`, [a.id, handle]);
  return { ...a, x_handle: handle };
}

/**
 * A deleted post: cancels the `awaiting_confirmation` payment it made. A delete that arrives before its post
 * is remembered, so the post is ignored when it comes.
 */
export async function decideDeletedPost(
  deps: Deps,
  d: { tweetId: string; authorId: string },
): Promise<string> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO x_tweets (tweet_id, x_user_id, outcome, created_at) VALUES ($1, $2, 'deleted_before_processing', $3)
       ON CONFLICT (tweet_id) DO NOTHING`,
      [d.tweetId, d.authorId, now],
    );
    const p = await lockUnconfirmedByTweet(tx, d.tweetId, d.authorId);
    if (!p) return 'delete_ignored';
    await release(tx, p, now, 'canceled', 'tweet_deleted');
    return 'delete_canceled';
  });
}
