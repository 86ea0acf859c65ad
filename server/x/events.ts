/**
 * Payment tweets from X, whatever way they arrive (docs/x-integration.md):
 * - every delivery is stored raw first (`x_events`), then processed; a crash in between leaves it
 *   unprocessed and the sweeper processes it later; an X Activity API event stored twice (same
 *   `event_uuid`) is stored and processed once;
 * - three formats: Account Activity v1.1 (`tweet_create_events`), the X Activity API envelope and
 *   Filtered Stream deliveries; each is turned into a `NormalizedPost` (`post.ts`) and every post goes
 *   through `decidePayment`;
 * - each post id is processed once (`x_tweets` primary key, claimed in the same transaction as the
 *   payment), and an edit chain once;
 * - payer and recipient are identified by X user id, never by handle alone;
 * - a tweet matching an `awaiting_tweet` payment of its author completes it, otherwise it creates an
 *   `awaiting_confirmation` payment; a delete cancels an unconfirmed one.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parsePaymentTweet } from '../../utils/payment-tweet';
import { checkPayment } from '../../utils/rules';
import { findByXUserId, type AccountRow } from '../accounts';
import type { Queryable } from '../db';
import type { Deps } from '../deps';
import { errorFields } from '../log';
import { InsufficientFunds, post as postTransfers, SYSTEM } from '../ledger';
import { executeHeld, insertPayment, minutes, release, type PaymentRow } from '../payments';
import { fromV1Tweet, fromV2Post, type NormalizedPost } from './post';

const DeleteSchema = z.object({
  status: z.object({ id: z.union([z.string(), z.number()]), user_id: z.union([z.string(), z.number()]) }),
});
const RevokeSchema = z.object({
  revoke: z.object({ source: z.object({ user_id: z.union([z.string(), z.number()]) }) }),
});

/**
 * Account Activity API (v1.1 body, also what the v2 `/2/account_activity` webhooks deliver until AAA ends on
 * 1 January 2027): https://docs.x.com/x-api/account-activity/introduction and
 * https://docs.x.com/x-api/account-activity/migrate/aaa-to-xaa-migration.
 */
const AaaSchema = z.object({
  for_user_id: z.string().optional(),
  user_event: z.unknown().optional(),
  tweet_create_events: z.array(z.unknown()).optional(),
  tweet_delete_events: z.array(z.unknown()).optional(),
});

/**
 * X Activity API envelope, by webhook or by `GET /2/activity/stream`:
 * https://docs.x.com/x-api/activity/event-payloads (`{"data": {"event_uuid", "filter", "event_type", "tag",
 * "payload", "includes"}}`). The pages disagree on the post event names (`post.create` / `post.delete` in
 * the introduction, `post.mention.create` elsewhere, CamelCase names in older versions): every name below
 * is accepted; a post event's payload is a v2 Post.
 */
const XaaSchema = z.object({
  data: z.object({
    event_uuid: z.string().min(1).max(100),
    event_type: z.string(),
    filter: z.object({ user_id: z.string().optional() }).passthrough().optional(),
    tag: z.string().nullish(),
    payload: z.unknown(),
    includes: z.unknown().optional(),
  }),
});
const XAA_POST_EVENTS = new Set(['post.create', 'post.mention.create', 'post.mention', 'PostCreate']);
const XAA_DELETE_EVENTS = new Set(['post.delete', 'PostDelete']);
/** The payload of a delete: the deleted post (at least its id; its author when X gives it). */
const XaaDeleteSchema = z.object({ id: z.string(), author_id: z.string().optional() }).passthrough();

/**
 * Filtered Stream, one line of `GET /2/tweets/search/stream` or one webhook delivery of it:
 * https://docs.x.com/x-api/posts/filtered-stream/introduction and
 * https://docs.x.com/x-api/webhooks/stream/introduction (`{"data": Post, "includes", "matching_rules":
 * [{"id", "tag"}]}`). Recent search pages (`{"data": [Post], "includes", "meta"}`) are split into one such
 * object per post before they are stored.
 */
const StreamSchema = z.object({
  data: z.object({ id: z.string(), text: z.string() }).passthrough(),
  includes: z.unknown().optional(),
  matching_rules: z.array(z.unknown()).optional(),
});

/** What one delivery asks the wallet to do. */
type Action =
  | { kind: 'post'; post: NormalizedPost | undefined; botId?: string }
  | { kind: 'delete'; tweetId: string; userId: string | undefined }
  | { kind: 'revoke'; raw: unknown }
  | { kind: 'outcome'; outcome: string };

/** Which format a delivery is in, and what it asks for. */
export function readDelivery(
  parsed: unknown,
): { format: 'aaa' | 'xaa' | 'stream'; actions: Action[] } | undefined {
  const xaa = XaaSchema.safeParse(parsed);
  if (xaa.success) {
    const d = xaa.data.data;
    if (XAA_POST_EVENTS.has(d.event_type)) {
      return { format: 'xaa', actions: [{ kind: 'post', post: fromV2Post(d.payload, d.includes) }] };
    }
    if (XAA_DELETE_EVENTS.has(d.event_type)) {
      const del = XaaDeleteSchema.safeParse(d.payload);
      return {
        format: 'xaa',
        actions: [
          del.success
            ? { kind: 'delete', tweetId: del.data.id, userId: del.data.author_id ?? d.filter?.user_id }
            : { kind: 'outcome', outcome: 'malformed_delete' },
        ],
      };
    }
    return { format: 'xaa', actions: [{ kind: 'outcome', outcome: 'ignored_event_type' }] };
  }
  const stream = StreamSchema.safeParse(parsed);
  if (stream.success) {
    return {
      format: 'stream',
      actions: [{ kind: 'post', post: fromV2Post(stream.data.data, stream.data.includes) }],
    };
  }
  const aaa = AaaSchema.safeParse(parsed);
  if (!aaa.success || typeof parsed !== 'object' || parsed === null || 'data' in parsed) return undefined;
  const ev = aaa.data;
  const botId = ev.for_user_id;
  const actions: Action[] = [];
  for (const raw of ev.tweet_create_events ?? [])
    actions.push({ kind: 'post', post: fromV1Tweet(raw), ...(botId ? { botId } : {}) });
  for (const raw of ev.tweet_delete_events ?? []) {
    const del = DeleteSchema.safeParse(raw);
    actions.push(
      del.success
        ? { kind: 'delete', tweetId: String(del.data.status.id), userId: String(del.data.status.user_id) }
        : { kind: 'outcome', outcome: 'malformed_delete' },
    );
  }
  if (ev.user_event !== undefined) actions.push({ kind: 'revoke', raw: ev.user_event });
  if (actions.length === 0) actions.push({ kind: 'outcome', outcome: 'ignored_event_type' });
  return { format: 'aaa', actions };
}

/** The X Activity API `event_uuid` of a delivery, if it has one (deliveries are de-duplicated by it). */
export function eventUuid(parsed: unknown): string | undefined {
  const xaa = XaaSchema.safeParse(parsed);
  return xaa.success ? xaa.data.data.event_uuid : undefined;
}

/**
 * Stores a verified delivery; returns its id, or `undefined` for an X Activity API event already stored
 * (same `event_uuid`: X re-delivered it; it was processed or will be, once).
 */
export async function storeEvent(
  deps: Deps,
  rawBody: string,
  source: 'webhook' | 'stream' | 'search' = 'webhook',
): Promise<number | undefined> {
  let uuid: string | undefined;
  try {
    uuid = eventUuid(JSON.parse(rawBody));
  } catch {
    uuid = undefined; // not JSON: stored as is, recorded as malformed when processed
  }
  const [row] = await deps.db.query<{ id: number }>(
    `INSERT INTO x_events (body, received_at, event_uuid, source) VALUES ($1, $2, $3, $4)
     ON CONFLICT (event_uuid) WHERE event_uuid IS NOT NULL DO NOTHING RETURNING id`,
    [rawBody, deps.clock(), uuid ?? null, source],
  );
  return row ? Number(row.id) : undefined;
}

/** Processes one stored event (idempotent: posts already seen are skipped) and marks it processed. */
export async function processEvent(deps: Deps, eventId: number, rawBody: string): Promise<string[]> {
  const outcomes: string[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    parsed = undefined;
  }
  const delivery = readDelivery(parsed);
  if (!delivery) outcomes.push('malformed_event');
  else {
    for (const action of delivery.actions) {
      if (action.kind === 'post') {
        outcomes.push(
          action.post ? await processPost(deps, eventId, action.post, action.botId) : 'malformed_tweet',
        );
      } else if (action.kind === 'delete') {
        outcomes.push(await processDelete(deps, action.tweetId, action.userId));
      } else if (action.kind === 'revoke') outcomes.push(await processUserEvent(deps, action.raw));
      else outcomes.push(action.outcome);
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

/**
 * One post, once: claims its id (and the first id of its edit chain) and applies the payment decision in
 * the same transaction, so a post delivered twice, by two sources or in two edits pays once.
 */
export async function processPost(
  deps: Deps,
  eventId: number | null,
  post: NormalizedPost,
  botId?: string,
): Promise<string> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const claimed = await tx.query(
      `INSERT INTO x_tweets (tweet_id, event_id, x_user_id, outcome, created_at, lang)
       VALUES ($1, $2, $3, 'processing', $4, $5)
       ON CONFLICT (tweet_id) DO NOTHING RETURNING tweet_id`,
      [post.id, eventId, post.authorId, now, post.lang ?? null],
    );
    if (claimed.length === 0) return 'duplicate';
    // An edit is the same payment tweet again: the first version of the chain to arrive is the only one
    // that counts (an edit delivered first claims the original's id, so the original is then a duplicate).
    if (post.editOf !== post.id) {
      const first = await tx.query(
        `INSERT INTO x_tweets (tweet_id, event_id, x_user_id, outcome, created_at) VALUES ($1, $2, $3, 'edited', $4)
         ON CONFLICT (tweet_id) DO NOTHING RETURNING tweet_id`,
        [post.editOf, eventId, post.authorId, now],
      );
      if (first.length === 0) {
        await tx.query(`UPDATE x_tweets SET outcome = 'ignored_edit' WHERE tweet_id = $1`, [post.id]);
        return 'ignored_edit';
      }
    }
    const outcome = await decidePayment(tx, deps, post, botId, now);
    await tx.query(`UPDATE x_tweets SET outcome = $2, payment_id = $3 WHERE tweet_id = $1`, [
      post.id,
      outcome.outcome,
      outcome.paymentId ?? null,
    ]);
    if (outcome.paymentId) {
      deps.log.info('payment tweet', {
        tweetId: post.id,
        outcome: outcome.outcome,
        paymentId: outcome.paymentId,
      });
    }
    return outcome.outcome;
  });
}

export interface PaymentDecision {
  /** `matched_<status>`, `awaiting_confirmation`, `failed_<reason>`, or why the post pays nothing. */
  outcome: string;
  paymentId?: string;
}

/**
 * The payment decision for one post, whatever source it came from (inside the caller's transaction):
 * retweets, quotes and the bot's own posts pay nothing; the text must follow the payment grammar; the
 * author must be a linked X account; the recipient is the mentioned X user id. A post matching an
 * `awaiting_tweet` payment of its author completes it; otherwise it holds the funds in an
 * `awaiting_confirmation` payment that the payer confirms in the wallet.
 */
export async function decidePayment(
  tx: Queryable,
  deps: Deps,
  post: NormalizedPost,
  botId: string | undefined,
  now: Date,
): Promise<PaymentDecision> {
  const { config } = deps;
  if (post.retweet) return { outcome: 'ignored_retweet' };
  if (post.quote) return { outcome: 'ignored_quote' };
  const bot = botId ?? deps.xBotUserId;
  if ((bot && post.authorId === bot) || post.authorHandle?.toLowerCase() === config.botHandle.toLowerCase()) {
    return { outcome: 'ignored_own_tweet' };
  }
  const shown = { text: post.text, mentions: post.mentions };
  const grammar = parsePaymentTweet(shown.text, { botHandle: config.botHandle, hashtag: config.hashtag });
  if (!grammar.ok) return { outcome: `grammar_${grammar.reason}` };
  const found = await findByXUserId(tx, post.authorId);
  if (!found) return { outcome: 'payer_unlinked' };
  const payer = post.authorHandle ? await refreshHandle(tx, found, post.authorHandle) : found;
  const mention = shown.mentions.find(
    (m) => m.handle.toLowerCase() === grammar.recipientHandle.toLowerCase(),
  );
  if (!mention?.id) return { outcome: 'recipient_unresolved' };
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
      [match.id, post.id, shown.text, mention.id, now],
    );
    const status = await executeHeld(
      tx,
      config,
      { ...match, tweet_id: post.id, recipient_x_user_id: mention.id },
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
    tweetId: post.id,
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
    await postTransfers(
      tx,
      [{ from: payer.id, to: SYSTEM.holds, amountCents: amount, kind: 'hold' }],
      id,
      now,
    );
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

async function processDelete(deps: Deps, tweetId: string, userId: string | undefined): Promise<string> {
  if (!/^[0-9]{1,20}$/.test(tweetId) || (userId !== undefined && !/^[0-9]{1,20}$/.test(userId))) {
    return 'malformed_delete';
  }
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    // A delete that arrives before its tweet: remember it, so the tweet is ignored when it comes.
    await tx.query(
      `INSERT INTO x_tweets (tweet_id, x_user_id, outcome, created_at) VALUES ($1, $2, 'deleted_before_processing', $3)
       ON CONFLICT (tweet_id) DO NOTHING`,
      [tweetId, userId ?? null, now],
    );
    // Only the author's delete counts (when X names the author, it must be the payer).
    const [p] = await tx.query<PaymentRow & Record<string, unknown>>(
      `SELECT p.* FROM payments p JOIN accounts a ON a.id = p.payer_id
       WHERE p.tweet_id = $1 AND ($2::text IS NULL OR a.x_user_id = $2) AND p.status = 'awaiting_confirmation'
       FOR UPDATE OF p`,
      [tweetId, userId ?? null],
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
