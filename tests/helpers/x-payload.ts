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

/** A v2 Post with its `includes.users`, as the X Activity API, Filtered Stream and search send it. */
export interface V2Post {
  post: Record<string, unknown>;
  includes: { users: { id: string; username: string; name: string }[] };
}

/**
 * The v2 form of the same tweet (docs.x.com/x-api/fundamentals/data-dictionary): `entities.mentions` with
 * code-point `start`/`end`, `referenced_tweets`, `edit_history_tweet_ids` (oldest first; `editOf` gives the
 * chain before this version), `note_tweet` when the text is over 280 characters.
 */
export function postV2(t: TweetInput & { editOf?: string[] }): V2Post {
  const prefix = t.replyTo ? t.replyTo.users.map((u) => `@${u.handle} `).join('') : '';
  const full = prefix + t.text;
  const users = [...(t.replyTo?.users ?? []), ...(t.mentions ?? [])];
  const mentions = users.map((u) => {
    const needle = `@${u.handle}`.toLowerCase();
    const from = t.replyTo?.users.includes(u) ? 0 : prefix.length;
    const at = full.toLowerCase().indexOf(needle, from);
    if (at < 0) throw new Error(`@${u.handle} is not in the text`);
    const i = cp(full.slice(0, at));
    return { start: i, end: i + cp(needle), username: u.handle, id: u.userId };
  });
  const long = cp(full) > 280;
  const refs = [
    ...(t.replyTo ? [{ type: 'replied_to', id: t.replyTo.tweetId }] : []),
    ...(t.quote ? [{ type: 'quoted', id: '1' }] : []),
    ...(t.retweet ? [{ type: 'retweeted', id: '1' }] : []),
  ];
  const shownText = long ? Array.from(full).slice(0, 280).join('') : full;
  const post: Record<string, unknown> = {
    id: t.tweetId,
    text: t.retweet ? `RT @${t.handle}: ${shownText}` : shownText,
    author_id: t.retweet ? '999' : t.userId,
    created_at: new Date().toISOString(),
    lang: 'fr',
    conversation_id: t.replyTo?.tweetId ?? t.tweetId,
    display_text_range: [cp(prefix), cp(shownText)],
    edit_history_tweet_ids: [...(t.editOf ?? []), t.tweetId],
    entities: { mentions: mentions.filter((m) => m.end <= cp(shownText)) },
    ...(refs.length ? { referenced_tweets: refs } : {}),
    ...(long ? { note_tweet: { text: full, entities: { mentions } } } : {}),
  };
  const author = t.retweet ? { id: '999', username: 'retweeter' } : { id: t.userId, username: t.handle };
  return {
    post,
    includes: {
      users: [author, ...users.map((u) => ({ id: u.userId, username: u.handle }))].map((u) => ({
        ...u,
        name: u.username,
      })),
    },
  };
}

/**
 * An X Activity API event (docs.x.com/x-api/activity/event-payloads): `{"data": {"event_uuid", "filter",
 * "event_type", "tag", "payload", "includes"}}`.
 */
export function xaaEvent(
  eventType: string,
  payload: Record<string, unknown>,
  opts: { eventUuid: string; filterUserId: string; includes?: V2Post['includes'] },
): Record<string, unknown> {
  return {
    data: {
      event_uuid: opts.eventUuid,
      filter: { user_id: opts.filterUserId },
      event_type: eventType,
      tag: 'tweetez-payez',
      payload,
      includes: opts.includes ?? {},
    },
  };
}

/** A Filtered Stream delivery (stream line or webhook body): `{"data", "includes", "matching_rules"}`. */
export function streamDelivery(p: V2Post, rule = { id: '1', tag: 'payments' }): Record<string, unknown> {
  return { data: p.post, includes: p.includes, matching_rules: [rule] };
}
