/**
 * Builders of X Account Activity payloads (v1.1 tweet objects), as X sends them: used by the server's tests
 * and by the end-to-end helper that delivers a tweet to the webhook "signed as X would".
 * Shapes: developer.x.com account-activity-data-objects; extended tweets per tweepy's extended_tweets.rst.
 */

export interface TweetUser {
  userId: string;
  handle: string;
}

export interface TweetInput {
  tweetId: string;
  text: string;
  /** The author. */
  userId: string;
  handle: string;
  /** Users mentioned in `text` (their `@handle` must appear in it); ids are X's numeric user ids. */
  mentions?: TweetUser[];
  /** Reply mentions X prepends outside `display_text_range` (e.g. replying to @alice). */
  replyTo?: { tweetId: string; users: TweetUser[] };
  /** The id of the account the webhook subscription is for (the bot). */
  forUserId?: string;
  retweet?: boolean;
  quote?: boolean;
}

const cp = (s: string) => Array.from(s).length;

/** A v1.1 tweet object; texts over 140 code points come as X sends them: truncated + `extended_tweet`. */
export function tweetObject(t: TweetInput): Record<string, unknown> {
  const prefix = t.replyTo ? t.replyTo.users.map((u) => `@${u.handle} `).join('') : '';
  const full = prefix + t.text;
  const start = cp(prefix);
  const mentions = [...(t.replyTo?.users ?? []), ...(t.mentions ?? [])].map((u) => {
    const needle = `@${u.handle}`;
    let at = full.toLowerCase().indexOf(needle.toLowerCase());
    // Reply mentions are found in the prefix, the others after it.
    if (!t.replyTo?.users.includes(u)) at = full.toLowerCase().indexOf(needle.toLowerCase(), prefix.length);
    if (at < 0) throw new Error(`@${u.handle} is not in the text`);
    const i = cp(full.slice(0, at));
    return {
      screen_name: u.handle,
      name: u.handle,
      id: Number(u.userId),
      id_str: u.userId,
      indices: [i, i + cp(needle)],
    };
  });
  const entities = { hashtags: [], urls: [], user_mentions: mentions, symbols: [] };
  const truncated = cp(full) > 140;
  const base: Record<string, unknown> = {
    created_at: new Date().toUTCString(),
    id: Number(t.tweetId),
    id_str: t.tweetId,
    text: truncated ? Array.from(full).slice(0, 139).join('') + '…' : full,
    truncated,
    display_text_range: [start, truncated ? 140 : cp(full)],
    entities: truncated
      ? { ...entities, user_mentions: mentions.filter((m) => m.indices[1]! <= 139) }
      : entities,
    user: { id: Number(t.userId), id_str: t.userId, screen_name: t.handle, name: t.handle },
    in_reply_to_status_id_str: t.replyTo?.tweetId ?? null,
    is_quote_status: !!t.quote,
    lang: 'fr',
  };
  if (truncated) base.extended_tweet = { full_text: full, display_text_range: [start, cp(full)], entities };
  if (t.quote)
    base.quoted_status = { id_str: '1', text: 'quoted', user: { id_str: '1', screen_name: 'someone' } };
  if (t.retweet) {
    return {
      ...base,
      text: `RT @${t.handle}: ${full}`,
      user: { id_str: '999', screen_name: 'retweeter' },
      retweeted_status: base,
    };
  }
  return base;
}

export function tweetCreateEvents(
  forUserId: string,
  tweets: Record<string, unknown>[],
): Record<string, unknown> {
  return { for_user_id: forUserId, user_has_blocked: 'false', tweet_create_events: tweets };
}

export function tweetDeleteEvents(forUserId: string, deletes: { tweetId: string; userId: string }[]) {
  return {
    for_user_id: forUserId,
    tweet_delete_events: deletes.map((d) => ({
      status: { id: d.tweetId, user_id: d.userId },
      timestamp_ms: String(Date.now()),
    })),
  };
}
