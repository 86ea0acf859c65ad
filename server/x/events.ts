/**
 * Processing of X Account Activity events (shared/wallet-api.md "Webhook tweets"):
 * - every delivery is stored raw first (`x_events`), then processed; a crash in between leaves it
 *   unprocessed and the sweeper processes it later;
 * - each tweet id is processed once (`x_tweets` primary key, claimed in the same transaction as the payment);
 * - payer and recipient are identified by X user id, never by handle alone;
 * - text from `extended_tweet.full_text` when truncated, cut to `display_text_range` (reply mentions that
 *   X adds fall outside it); retweets, quotes and the bot's own tweets are ignored;
 * - a tweet matching an `awaiting_tweet` payment of its author completes it, otherwise it creates an
 *   `awaiting_confirmation` payment; a delete cancels an unconfirmed one.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parsePaymentTweet } from '../../utils/payment-tweet';
import { checkPayment } from '../../utils/rules';
import { findByXUserId } from '../accounts';
import type { Queryable } from '../db';
import type { Deps } from '../deps';
import { errorFields } from '../log';
import { InsufficientFunds, post, SYSTEM } from '../ledger';
import { executeHeld, insertPayment, minutes, release, type PaymentRow } from '../payments';

const Range = z.tuple([z.number().int().min(0), z.number().int().min(0)]);
const Mention = z.object({ id_str: z.string(), screen_name: z.string(), indices: Range });
const Entities = z.object({ user_mentions: z.array(Mention).optional() });
const TweetSchema = z.object({
  id_str: z.string().regex(/^[0-9]{1,20}$/),
  text: z.string().optional(),
  full_text: z.string().optional(),
  truncated: z.boolean().optional(),
  display_text_range: Range.optional(),
  entities: Entities.optional(),
  extended_tweet: z
    .object({ full_text: z.string(), display_text_range: Range.optional(), entities: Entities.optional() })
    .optional(),
  user: z.object({ id_str: z.string().regex(/^[0-9]{1,20}$/), screen_name: z.string() }),
  retweeted_status: z.unknown().optional(),
  quoted_status: z.unknown().optional(),
  is_quote_status: z.boolean().optional(),
  /** An edited tweet arrives as a new tweet with a new id; the chain starts at `initial_tweet_id`. */
  edit_history: z
    .object({
      initial_tweet_id: z
        .string()
        .regex(/^[0-9]{1,20}$/)
        .optional(),
      edit_tweet_ids: z.array(z.string().regex(/^[0-9]{1,20}$/)).optional(),
    })
    .optional(),
});
const DeleteSchema = z.object({
  status: z.object({ id: z.union([z.string(), z.number()]), user_id: z.union([z.string(), z.number()]) }),
});
const RevokeSchema = z.object({
  revoke: z.object({ source: z.object({ user_id: z.union([z.string(), z.number()]) }) }),
});
const EventSchema = z.object({
  for_user_id: z.string().optional(),
  user_event: z.unknown().optional(),
  tweet_create_events: z.array(z.unknown()).optional(),
  tweet_delete_events: z.array(z.unknown()).optional(),
});

type Tweet = z.infer<typeof TweetSchema>;

/** The text X displays as the tweet's body, and the mentions inside it. */
export function displayedText(t: Tweet): { text: string; mentions: { id: string; handle: string }[] } {
  const ext = t.truncated && t.extended_tweet ? t.extended_tweet : undefined;
  const full = ext?.full_text ?? t.full_text ?? t.text ?? '';
  const chars = Array.from(full);
  const [from, to] = ext?.display_text_range ?? t.display_text_range ?? [0, chars.length];
  const mentions = (ext?.entities ?? t.entities)?.user_mentions ?? [];
  return {
    text: chars.slice(from, to).join(''),
    mentions: mentions
      .filter((m) => m.indices[0] >= from && m.indices[1] <= to)
      .map((m) => ({ id: m.id_str, handle: m.screen_name })),
  };
}

/** Stores a verified delivery; returns its id. */
export async function storeEvent(deps: Deps, rawBody: string): Promise<number> {
  const [row] = await deps.db.query<{ id: number }>(
    `INSERT INTO x_events (body, received_at) VALUES ($1, $2) RETURNING id`,
    [rawBody, deps.clock()],
  );
  return Number(row!.id);
}

/** Processes one stored event (idempotent: tweets already seen are skipped) and marks it processed. */
export async function processEvent(deps: Deps, eventId: number, rawBody: string): Promise<string[]> {
  const outcomes: string[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    parsed = undefined;
  }
  const ev = EventSchema.safeParse(parsed);
  if (!ev.success) outcomes.push('malformed_event');
  else {
    const botId = ev.data.for_user_id;
    for (const raw of ev.data.tweet_create_events ?? [])
      outcomes.push(await processTweet(deps, eventId, raw, botId));
    for (const raw of ev.data.tweet_delete_events ?? []) outcomes.push(await processDelete(deps, raw));
    if (ev.data.user_event !== undefined) outcomes.push(await processUserEvent(deps, ev.data.user_event));
    if (!ev.data.tweet_create_events && !ev.data.tweet_delete_events && ev.data.user_event === undefined) {
      outcomes.push('ignored_event_type');
    }
  }
  await deps.db.query(`UPDATE x_events SET processed_at = $2, outcome = $3 WHERE id = $1`, [
    eventId,
    deps.clock(),
    outcomes.join(','),
  ]);
  return outcomes;
}

/** Processes the stored events that are still unprocessed after `olderThanMs` (crash recovery). */
export async function processPendingEvents(deps: Deps, olderThanMs = 30_000, batch = 50): Promise<number> {
  const rows = await deps.db.query<{ id: number; body: string }>(
    `SELECT id, body FROM x_events WHERE processed_at IS NULL AND received_at <= $1 ORDER BY id LIMIT $2`,
    [new Date(deps.clock().getTime() - olderThanMs), batch],
  );
  for (const r of rows) {
    try {
      await processEvent(deps, Number(r.id), r.body);
    } catch (err) {
      deps.log.error('x event processing failed', { eventId: r.id, ...errorFields(err) });
    }
  }
  return rows.length;
}

async function processTweet(
  deps: Deps,
  eventId: number,
  raw: unknown,
  botId: string | undefined,
): Promise<string> {
  const parsed = TweetSchema.safeParse(raw);
  if (!parsed.success) return 'malformed_tweet';
  const t = parsed.data;
  const now = deps.clock();
  const { config } = deps;
  return deps.db.transaction(async (tx) => {
    const claimed = await tx.query(
      `INSERT INTO x_tweets (tweet_id, event_id, x_user_id, outcome, created_at) VALUES ($1, $2, $3, 'processing', $4)
       ON CONFLICT (tweet_id) DO NOTHING RETURNING tweet_id`,
      [t.id_str, eventId, t.user.id_str, now],
    );
    if (claimed.length === 0) return 'duplicate';
    // An edit is the same payment tweet again: the first version of the chain to arrive is the only one
    // that counts (an edit delivered first claims the original's id, so the original is then a duplicate).
    const initial = t.edit_history?.initial_tweet_id ?? t.edit_history?.edit_tweet_ids?.[0] ?? t.id_str;
    if (initial !== t.id_str) {
      const first = await tx.query(
        `INSERT INTO x_tweets (tweet_id, event_id, x_user_id, outcome, created_at) VALUES ($1, $2, $3, 'edited', $4)
         ON CONFLICT (tweet_id) DO NOTHING RETURNING tweet_id`,
        [initial, eventId, t.user.id_str, now],
      );
      if (first.length === 0) {
        await tx.query(`UPDATE x_tweets SET outcome = 'ignored_edit' WHERE tweet_id = $1`, [t.id_str]);
        return 'ignored_edit';
      }
    }
    const outcome = await decide(tx, deps, t, botId, now);
    await tx.query(`UPDATE x_tweets SET outcome = $2, payment_id = $3 WHERE tweet_id = $1`, [
      t.id_str,
      outcome.outcome,
      outcome.paymentId ?? null,
    ]);
    if (outcome.paymentId) {
      deps.log.info('payment tweet', {
        tweetId: t.id_str,
        outcome: outcome.outcome,
        paymentId: outcome.paymentId,
      });
    }
    return outcome.outcome;
  });

  async function decide(
    tx: Queryable,
    deps: Deps,
    t: Tweet,
    botId: string | undefined,
    now: Date,
  ): Promise<{ outcome: string; paymentId?: string }> {
    if (t.retweeted_status != null) return { outcome: 'ignored_retweet' };
    if (t.is_quote_status || t.quoted_status != null) return { outcome: 'ignored_quote' };
    if (
      (botId && t.user.id_str === botId) ||
      t.user.screen_name.toLowerCase() === config.botHandle.toLowerCase()
    ) {
      return { outcome: 'ignored_own_tweet' };
    }
    const shown = displayedText(t);
    const grammar = parsePaymentTweet(shown.text, { botHandle: config.botHandle, hashtag: config.hashtag });
    if (!grammar.ok) return { outcome: `grammar_${grammar.reason}` };
    const payer = await findByXUserId(tx, t.user.id_str);
    if (!payer) return { outcome: 'payer_unlinked' };
    const mention = shown.mentions.find(
      (m) => m.handle.toLowerCase() === grammar.recipientHandle.toLowerCase(),
    );
    if (!mention) return { outcome: 'recipient_unresolved' };
    const recipient = await findByXUserId(tx, mention.id);
    const amount = grammar.amountCents;

    // A tweet the extension asked for: the oldest matching awaiting_tweet payment of this payer.
    const [match] = await tx.query<PaymentRow & Record<string, unknown>>(
      `SELECT * FROM payments WHERE payer_id = $1 AND status = 'awaiting_tweet' AND amount_cents = $2
         AND tweet_id IS NULL AND expires_at > $5
         AND ((recipient_id IS NOT NULL AND recipient_id = $3)
           OR (recipient_id IS NULL AND (recipient_x_user_id = $4 OR lower(recipient_handle) = lower($6))))
       ORDER BY seq LIMIT 1 FOR UPDATE`,
      [payer.id, amount, recipient?.id ?? null, mention.id, now, mention.handle],
    );
    if (match) {
      await tx.query(
        `UPDATE payments SET tweet_id = $2, tweet_text = $3, recipient_x_user_id = $4, updated_at = $5 WHERE id = $1`,
        [match.id, t.id_str, shown.text, mention.id, now],
      );
      const status = await executeHeld(
        tx,
        config,
        { ...match, tweet_id: t.id_str, recipient_x_user_id: mention.id },
        now,
      );
      return { outcome: `matched_${status}`, paymentId: match.id };
    }

    // A hand-typed tweet: hold the funds until the payer confirms in the wallet.
    const id = randomUUID();
    const base = {
      id,
      payerId: payer.id,
      recipientId: recipient?.id ?? null,
      recipientHandle: recipient?.x_handle ?? mention.handle,
      recipientXUserId: mention.id,
      amountCents: amount,
      feeCents: 0,
      message: grammar.message || null,
      mode: 'tweet' as const,
      tweetText: shown.text,
      tweetId: t.id_str,
      replyToTweetId: null,
      now,
    };
    const check = checkPayment(
      {
        amountCents: amount,
        isSelf: recipient?.id === payer.id || mention.id === payer.x_user_id,
        recipient: recipient
          ? { registered: true, kind: recipient.kind, feeBps: recipient.fee_bps }
          : { registered: false, kind: 'person' },
      },
      config,
    );
    if (!check.ok) {
      await insertPayment(tx, { ...base, status: 'failed', failureReason: check.reason, expiresAt: null });
      return { outcome: `failed_${check.reason}`, paymentId: id };
    }
    await insertPayment(tx, {
      ...base,
      status: 'awaiting_confirmation',
      failureReason: null,
      expiresAt: new Date(now.getTime() + minutes(config.confirmMinutes)),
    });
    try {
      await tx.query('SAVEPOINT hold');
      await post(tx, [{ from: payer.id, to: SYSTEM.holds, amountCents: amount, kind: 'hold' }], id, now);
      await tx.query('RELEASE SAVEPOINT hold');
    } catch (err) {
      if (!(err instanceof InsufficientFunds)) throw err;
      await tx.query('ROLLBACK TO SAVEPOINT hold');
      await tx.query(
        `UPDATE payments SET status = 'failed', failure_reason = 'insufficient_funds', expires_at = NULL WHERE id = $1`,
        [id],
      );
      return { outcome: 'failed_insufficient_funds', paymentId: id };
    }
    return { outcome: 'awaiting_confirmation', paymentId: id };
  }
}

async function processDelete(deps: Deps, raw: unknown): Promise<string> {
  const parsed = DeleteSchema.safeParse(raw);
  if (!parsed.success) return 'malformed_delete';
  const tweetId = String(parsed.data.status.id);
  const userId = String(parsed.data.status.user_id);
  if (!/^[0-9]{1,20}$/.test(tweetId)) return 'malformed_delete';
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    // A delete that arrives before its tweet: remember it, so the tweet is ignored when it comes.
    await tx.query(
      `INSERT INTO x_tweets (tweet_id, x_user_id, outcome, created_at) VALUES ($1, $2, 'deleted_before_processing', $3)
       ON CONFLICT (tweet_id) DO NOTHING`,
      [tweetId, userId, now],
    );
    const [p] = await tx.query<PaymentRow & Record<string, unknown>>(
      `SELECT p.* FROM payments p JOIN accounts a ON a.id = p.payer_id
       WHERE p.tweet_id = $1 AND a.x_user_id = $2 AND p.status = 'awaiting_confirmation' FOR UPDATE OF p`,
      [tweetId, userId],
    );
    if (!p) return 'delete_ignored';
    await release(tx, p, now, 'canceled', 'tweet_deleted');
    return 'delete_canceled';
  });
}

/**
 * `user_event.revoke`: the user took back our X app's authorization. The X account is unlinked, so its
 * tweets no longer reach the wallet (payments already made are untouched; held ones expire as usual).
 */
async function processUserEvent(deps: Deps, raw: unknown): Promise<string> {
  const parsed = RevokeSchema.safeParse(raw);
  if (!parsed.success) return 'ignored_user_event';
  const xUserId = String(parsed.data.revoke.source.user_id);
  const rows = await deps.db.query<{ id: string }>(
    `UPDATE accounts SET x_handle = NULL, x_user_id = NULL WHERE x_user_id = $1 AND kind <> 'system' RETURNING id`,
    [xUserId],
  );
  if (rows[0]) deps.log.info('x account unlinked (app authorization revoked)', { accountId: rows[0].id });
  return rows.length ? 'revoke_unlinked' : 'revoke_unknown_user';
}
