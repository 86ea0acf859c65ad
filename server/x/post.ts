/**
 * One shape for a post, whatever way X delivered it. Every source (Account Activity v1.1 tweets, X Activity
 * API events, Filtered Stream deliveries, recent search) is turned into a `PostedTweet` here, and only that
 * reaches the payment decision (server/payments/decide-post.ts), so the rules are the same for all of them.
 */
import { z } from 'zod';
import { TWEET_ID_RE } from '../../core/x-ids';
import type { PostedTweet } from '../payments/decide-post';

/** Long posts are read whole and the reply mentions X adds are cut off, in every format. */
export type NormalizedPost = PostedTweet;

const Id = z.string().regex(TWEET_ID_RE);
const Range = z.tuple([z.number().int().min(0), z.number().int().min(0)]);

/** Cuts `full` to `range` (code points) and keeps the mentions inside it. */
function displayed<M extends { start: number; end: number }>(
  full: string,
  range: [number, number] | undefined,
  mentions: M[],
): { text: string; mentions: M[] } {
  const chars = Array.from(full);
  const [from, to] = range ?? [0, chars.length];
  return {
    text: chars.slice(from, to).join(''),
    mentions: mentions.filter((m) => m.start >= from && m.end <= to),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Account Activity API, v1.1 tweet objects (`tweet_create_events`).
// https://docs.x.com/x-api/account-activity/introduction (activity types) and the v1.1 data dictionary
// https://developer.x.com/en/docs/tweets/data-dictionary/overview/tweet-object (`extended_tweet`,
// `display_text_range`, `entities.user_mentions[].indices` in code points, `edit_history`).
// ---------------------------------------------------------------------------------------------------------
const V1Mention = z.object({ id_str: z.string(), screen_name: z.string(), indices: Range });
const V1Entities = z.object({ user_mentions: z.array(V1Mention).optional() });
export const V1TweetSchema = z.object({
  id_str: Id,
  text: z.string().optional(),
  full_text: z.string().optional(),
  truncated: z.boolean().optional(),
  display_text_range: Range.optional(),
  entities: V1Entities.optional(),
  extended_tweet: z
    .object({ full_text: z.string(), display_text_range: Range.optional(), entities: V1Entities.optional() })
    .optional(),
  user: z.object({ id_str: Id, screen_name: z.string() }),
  retweeted_status: z.unknown().optional(),
  quoted_status: z.unknown().optional(),
  is_quote_status: z.boolean().optional(),
  lang: z.string().nullish(),
  /** An edited tweet arrives as a new tweet with a new id; the chain starts at `initial_tweet_id`. */
  edit_history: z
    .object({ initial_tweet_id: Id.optional(), edit_tweet_ids: z.array(Id).optional() })
    .optional(),
});

export function fromV1Tweet(raw: unknown): NormalizedPost | undefined {
  const parsed = V1TweetSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const t = parsed.data;
  const ext = t.truncated && t.extended_tweet ? t.extended_tweet : undefined;
  const full = ext?.full_text ?? t.full_text ?? t.text ?? '';
  const mentions = ((ext?.entities ?? t.entities)?.user_mentions ?? []).map((m) => ({
    start: m.indices[0],
    end: m.indices[1],
    id: m.id_str,
    handle: m.screen_name,
  }));
  const shown = displayed(full, ext?.display_text_range ?? t.display_text_range, mentions);
  return {
    id: t.id_str,
    authorId: t.user.id_str,
    authorHandle: t.user.screen_name,
    text: shown.text,
    mentions: shown.mentions.map((m) => ({ id: m.id, handle: m.handle })),
    repost: t.retweeted_status != null,
    quote: !!t.is_quote_status || t.quoted_status != null,
    firstVersionId: t.edit_history?.initial_tweet_id ?? t.edit_history?.edit_tweet_ids?.[0] ?? t.id_str,
    ...(t.lang ? { lang: t.lang } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// API v2 Post objects: the payload of X Activity API post events, the `data` of Filtered Stream (stream and
// webhook delivery) and of recent search.
// https://docs.x.com/x-api/fundamentals/data-dictionary (Post: `entities.mentions[{start, end, username,
// id}]`, `referenced_tweets[{type: retweeted|quoted|replied_to, id}]`, `edit_history_tweet_ids` oldest
// first, `note_tweet` for posts over 280 characters); https://docs.x.com/x-api/activity/event-payloads
// (the Post payload also carries `display_text_range`, which leaves out the mentions X prepends to a reply).
// ---------------------------------------------------------------------------------------------------------
const V2Mention = z.object({
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  username: z.string(),
  id: Id.optional(),
});
const V2Entities = z.object({ mentions: z.array(V2Mention).optional() }).passthrough();
export const V2PostSchema = z.object({
  id: Id,
  text: z.string(),
  author_id: Id,
  lang: z.string().optional(),
  display_text_range: Range.optional(),
  entities: V2Entities.optional(),
  referenced_tweets: z.array(z.object({ type: z.string(), id: Id })).optional(),
  edit_history_tweet_ids: z.array(Id).optional(),
  note_tweet: z.object({ text: z.string(), entities: V2Entities.optional() }).optional(),
});
export const V2IncludesSchema = z
  .object({ users: z.array(z.object({ id: Id, username: z.string() }).passthrough()).optional() })
  .passthrough();
export type V2Includes = z.infer<typeof V2IncludesSchema>;

export function fromV2Post(raw: unknown, rawIncludes?: unknown): NormalizedPost | undefined {
  const parsed = V2PostSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  const inc = V2IncludesSchema.safeParse(rawIncludes ?? {});
  const users = inc.success ? (inc.data.users ?? []) : [];
  const idOf = (handle: string) => users.find((u) => u.username.toLowerCase() === handle.toLowerCase())?.id;

  let full = p.text;
  let range = p.display_text_range;
  let mentions = p.entities?.mentions ?? [];
  if (p.note_tweet) {
    // A long post: `text` is its first 280 characters, `note_tweet.text` the whole. The reply mentions X
    // prepends (before `display_text_range[0]` of `text`) start the note too; cut them the same way.
    full = p.note_tweet.text;
    mentions = p.note_tweet.entities?.mentions ?? mentions;
    const skip = range?.[0] ?? 0;
    const head = Array.from(p.text).slice(0, skip).join('');
    range = [full.startsWith(head) ? skip : 0, Array.from(full).length];
  }
  const shown = displayed(full, range, mentions);
  const refs = p.referenced_tweets ?? [];
  return {
    id: p.id,
    authorId: p.author_id,
    ...(users.find((u) => u.id === p.author_id)
      ? { authorHandle: users.find((u) => u.id === p.author_id)!.username }
      : {}),
    text: shown.text,
    mentions: shown.mentions.map((m) => {
      const id = m.id ?? idOf(m.username);
      return id ? { id, handle: m.username } : { handle: m.username };
    }),
    repost: refs.some((r) => r.type === 'retweeted'),
    quote: refs.some((r) => r.type === 'quoted'),
    firstVersionId: p.edit_history_tweet_ids?.[0] ?? p.id,
    ...(p.lang ? { lang: p.lang } : {}),
  };
}
