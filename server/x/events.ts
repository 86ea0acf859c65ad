/**
 * X Account Activity events (docs/wallet-api.md "Webhook"): this file only stores and parses deliveries;
 * what a post does to payments is decided in server/payments/decide-post.ts.
 * - every delivery is stored raw first (`x_events`), then processed; a crash in between leaves it
 *   unprocessed and the sweeper processes it later;
 * - a post's text is `extended_tweet.full_text` when truncated, cut to `display_text_range` (reply mentions
 *   that X adds fall outside it).
 */
import { z } from 'zod';
import { TWEET_ID_RE, X_USER_ID_RE } from '../../core/x-ids';
import { unlinkXUser } from '../accounts';
import type { Deps } from '../deps';
import { errorFields } from '../log';
import { decideDeletedPost, decidePost, type PostedTweet } from '../payments/decide-post';

const Range = z.tuple([z.number().int().min(0), z.number().int().min(0)]);
const Mention = z.object({ id_str: z.string(), screen_name: z.string(), indices: Range });
const Entities = z.object({ user_mentions: z.array(Mention).optional() });
const TweetSchema = z.object({
  id_str: z.string().regex(TWEET_ID_RE),
  text: z.string().optional(),
  full_text: z.string().optional(),
  truncated: z.boolean().optional(),
  display_text_range: Range.optional(),
  entities: Entities.optional(),
  extended_tweet: z
    .object({ full_text: z.string(), display_text_range: Range.optional(), entities: Entities.optional() })
    .optional(),
  user: z.object({ id_str: z.string().regex(X_USER_ID_RE), screen_name: z.string() }),
  retweeted_status: z.unknown().optional(),
  quoted_status: z.unknown().optional(),
  is_quote_status: z.boolean().optional(),
  /** An edited tweet arrives as a new tweet with a new id; the chain starts at `initial_tweet_id`. */
  edit_history: z
    .object({
      initial_tweet_id: z.string().regex(TWEET_ID_RE).optional(),
      edit_tweet_ids: z.array(z.string().regex(TWEET_ID_RE)).optional(),
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

/** A v1.1 tweet object of a delivery, as the post decide-post.ts decides. */
export function toPostedTweet(t: Tweet): PostedTweet {
  const shown = displayedText(t);
  return {
    id: t.id_str,
    authorId: t.user.id_str,
    authorHandle: t.user.screen_name,
    text: shown.text,
    mentions: shown.mentions,
    repost: t.retweeted_status != null,
    quote: !!t.is_quote_status || t.quoted_status != null,
    firstVersionId: t.edit_history?.initial_tweet_id ?? t.edit_history?.edit_tweet_ids?.[0] ?? t.id_str,
  };
}

async function processTweet(
  deps: Deps,
  eventId: number,
  raw: unknown,
  botId: string | undefined,
): Promise<string> {
  const parsed = TweetSchema.safeParse(raw);
  if (!parsed.success) return 'malformed_tweet';
  return decidePost(deps, eventId, toPostedTweet(parsed.data), botId);
}

async function processDelete(deps: Deps, raw: unknown): Promise<string> {
  const parsed = DeleteSchema.safeParse(raw);
  if (!parsed.success) return 'malformed_delete';
  const tweetId = String(parsed.data.status.id);
  const userId = String(parsed.data.status.user_id);
  if (!TWEET_ID_RE.test(tweetId)) return 'malformed_delete';
  return decideDeletedPost(deps, { tweetId, authorId: userId });
}

/**
 * `user_event.revoke`: the user took back our X app's authorization. The X account is unlinked, so its
 * tweets no longer reach the wallet (payments already made are untouched; held ones expire as usual).
 */
async function processUserEvent(deps: Deps, raw: unknown): Promise<string> {
  const parsed = RevokeSchema.safeParse(raw);
  if (!parsed.success) return 'ignored_user_event';
  const xUserId = String(parsed.data.revoke.source.user_id);
  const unlinked = await unlinkXUser(deps.db, xUserId);
  if (unlinked) deps.log.info('x account unlinked (app authorization revoked)', { accountId: unlinked });
  return unlinked ? 'revoke_unlinked' : 'revoke_unknown_user';
}
