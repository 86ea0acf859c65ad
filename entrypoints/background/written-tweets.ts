/**
 * Which payment tweets the extension wrote. The background remembers the text of every payment tweet it asked
 * an X tab (or X's web intent) to fill; a hand-typed payment waiting for the user's confirmation whose tweet is
 * none of those was not made with Tweetez Payez — typed by hand, or a filled tweet the page rewrote before it was
 * posted (`… 249EUR @mallory_pay`) — and the popup says so next to its Confirm button. Pure: no storage here.
 */
import type { Payment } from '../../core/wallet-types';

/** How many filled texts are remembered (a session's worth of payments). */
export const MAX_REMEMBERED = 100;

/** The text as compared: trimmed, whitespace runs as one space (X and Draft.js normalise line ends). */
export function normalizeTweet(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/** `texts` with `text` added last (once), at most `MAX_REMEMBERED` of them. */
export function rememberTweet(texts: readonly string[], text: string): string[] {
  const norm = normalizeTweet(text);
  return [...texts.filter((t) => t !== norm), norm].slice(-MAX_REMEMBERED);
}

/** Ids of the payments awaiting confirmation whose tweet the extension did not write. */
export function notWrittenByUs(payments: readonly Payment[], texts: readonly string[]): string[] {
  const known = new Set(texts);
  return payments
    .filter(
      (p) => p.status === 'awaiting_confirmation' && !(p.tweetText && known.has(normalizeTweet(p.tweetText))),
    )
    .map((p) => p.id);
}
