/**
 * Pure helpers for X URLs used by the background: which profile or post a tab shows (the popup's "Pay @handle"),
 * and the web intent URL used when the composer cannot be filled in the tab.
 */
import { HANDLE_RE, isReservedPath, isXLinkHost, TWEET_ID_RE } from '../core/x-ids';

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
  if (u.protocol !== 'https:' || !isXLinkHost(u.hostname)) return null;
  const [handle, second, third] = u.pathname.split('/').filter(Boolean);
  if (!handle || !HANDLE_RE.test(handle) || isReservedPath(handle)) return null;
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
