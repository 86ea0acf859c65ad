/**
 * Pure helpers for X URLs used by the background: which profile or post a tab shows (the popup's "Pay @handle"),
 * and the web intent URL used when the composer cannot be filled in the tab.
 */
import { HANDLE_RE, TWEET_ID_RE } from './messaging';

const X_HOSTS = new Set([
  'x.com',
  'twitter.com',
  'mobile.x.com',
  'mobile.twitter.com',
  'www.x.com',
  'www.twitter.com',
]);

/** First path segments that are X's own pages, never a user's profile. */
const RESERVED = new Set([
  'home',
  'explore',
  'notifications',
  'messages',
  'search',
  'settings',
  'compose',
  'i',
  'intent',
  'share',
  'login',
  'logout',
  'signup',
  'tos',
  'privacy',
  'jobs',
  'hashtag',
  'lists',
  'bookmarks',
  'communities',
  'premium',
  'account',
  'about',
]);

/** The profile or post an X URL shows: `/handle…` or `/handle/status/<id>…`; null for anything else. */
export function parseXTarget(
  url: string | undefined,
): { recipientHandle: string; tweetId: string | null } | null {
  if (!url) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || !X_HOSTS.has(u.hostname)) return null;
  const [handle, second, third] = u.pathname.split('/').filter(Boolean);
  if (!handle || !HANDLE_RE.test(handle) || RESERVED.has(handle.toLowerCase())) return null;
  if (second === 'status' || second === 'statuses') {
    return third && TWEET_ID_RE.test(third) ? { recipientHandle: handle, tweetId: third } : null;
  }
  return { recipientHandle: handle, tweetId: null };
}

/** `https://x.com/intent/post?text=…(&in_reply_to=…)`: X's composer prefilled, for when the tab cannot be used. */
export function tweetIntentUrl(text: string, replyToTweetId?: string | null): string {
  const params = new URLSearchParams({ text });
  if (replyToTweetId && TWEET_ID_RE.test(replyToTweetId)) params.set('in_reply_to', replyToTweetId);
  return `https://x.com/intent/post?${params.toString()}`;
}
