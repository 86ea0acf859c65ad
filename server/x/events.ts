/**
 * X deliveries (docs/wallet-api.md "Webhook posts"): this file only stores and parses them; what a post does to
 * payments is decided in server/payments/decide-post.ts.
 * - every delivery is stored raw first (`x_events`), then processed; a crash in between leaves it
 *   unprocessed and the sweeper processes it later; an X Activity API event stored twice (same
 *   `event_uuid`) is stored and processed once;
 * - three formats: Account Activity v1.1 (`tweet_create_events`), the X Activity API envelope and
 *   Filtered Stream deliveries; each post becomes a `PostedTweet` (server/x/post.ts), so every source goes
 *   through the same decision.
 */
import { z } from 'zod';
import { TWEET_ID_RE, X_USER_ID_RE } from '../../core/x-ids';
import { unlinkXUser } from '../accounts';
import type { Deps } from '../deps';
import { errorFields } from '../log';
import { decideDeletedPost, decidePost, type PostedTweet } from '../payments/decide-post';
import { fromV1Tweet, fromV2Post } from './post';

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
  | { kind: 'post'; post: PostedTweet | undefined; botId?: string }
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
          action.post ? await decidePost(deps, eventId, action.post, action.botId) : 'malformed_tweet',
        );
      } else if (action.kind === 'delete') {
        const { tweetId, userId } = action;
        outcomes.push(
          TWEET_ID_RE.test(tweetId) && userId && X_USER_ID_RE.test(userId)
            ? await decideDeletedPost(deps, { tweetId, authorId: userId })
            : 'malformed_delete',
        );
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
