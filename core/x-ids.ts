/**
 * X's identifiers, once for the whole repository: the hosts and origins X answers on, the handle pattern, the
 * post (and user) id format, and the first path segments that are X's own pages. The manifest's matches
 * (wxt.config.ts, the content script), the sender guards of the background, link parsing (utils/x-links.ts),
 * page reading (utils/x/page.ts) and the wallet server's schemas all derive from here.
 */

/** The hosts the content script runs on: X under both of its names, desktop and mobile. */
export const X_HOSTS = ['x.com', 'twitter.com', 'mobile.x.com', 'mobile.twitter.com'] as const;

/** `https://` origins of {@link X_HOSTS}: where a content-script message may come from. */
export const X_ORIGINS: readonly string[] = /* @__PURE__ */ X_HOSTS.map((h) => `https://${h}`);

/** Match patterns of {@link X_HOSTS} (the manifest's content script `matches`). */
export const X_MATCHES: string[] = /* @__PURE__ */ X_HOSTS.map((h) => `https://${h}/*`);

/** True for the hosts a link to X may name: {@link X_HOSTS}, and the `www.` names that redirect to them. */
export function isXLinkHost(host: string): boolean {
  return (X_HOSTS as readonly string[]).includes(host) || host === 'www.x.com' || host === 'www.twitter.com';
}

/**
 * A handle as X allows it: 1–15 of A–Z, a–z, 0–9 and `_` (a pattern to build larger expressions from; in an
 * expression without the `u` and `i` flags together, `\w` is exactly `[A-Za-z0-9_]`).
 */
export const HANDLE_PATTERN = '\\w{1,15}';
export const HANDLE_RE = /^\w{1,15}$/; // = `^${HANDLE_PATTERN}$` (core/x-ids.test.ts)

/**
 * A post or user id: a snowflake, an unsigned 64-bit integer written in decimal, so 1–20 digits.
 */
export const X_ID_PATTERN = '\\d{1,20}';
export const TWEET_ID_RE = /^\d{1,20}$/; // = `^${X_ID_PATTERN}$` (core/x-ids.test.ts)
export const X_USER_ID_RE = TWEET_ID_RE;

/** First path segments that are X's own pages, never a user's profile. Lower case. */
const RESERVED_PATHS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'home', 'explore', 'notifications', 'messages', 'i', 'settings', 'compose', 'search', 'login', 'logout',
  'signup', 'intent', 'share', 'hashtag', 'jobs', 'lists', 'bookmarks', 'communities', 'premium',
  'premium_sign_up', 'verified-choose', 'tos', 'privacy', 'about', 'account', 'download', 'following',
  'followers', 'grok', 'topics', 'who_to_follow', 'connect_people', 'places', 'oauth', 'sw.js', 'analytics',
]); // prettier-ignore

/** True when `segment`, the first segment of a path on X, names one of X's own pages (`home`, `grok` …). */
export function isReservedPath(segment: string): boolean {
  return RESERVED_PATHS.has(segment.toLowerCase());
}
