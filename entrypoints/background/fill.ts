/**
 * After a confirmed tweet-mode payment: bring the originating X tab forward and ask its content script to fill
 * the composer with the server's canonical tweet text. Without a usable tab or content script, X's web intent
 * (`x.com/intent/post?text=…`) opens in a new tab instead, and so it does when the content script reports that it
 * could not fill the composer. The text is the only thing sent to the page.
 */
import { browser } from 'wxt/browser';
import type { FillOutcome, MessageReply } from '../../utils/messaging';
import { sendToTab } from '../../utils/messaging';
import { X_ORIGINS } from '../../core/x-ids';
import { composerChangedItem, filledTweetsItem } from '../../utils/storage';
import { rememberTweet } from './written-tweets';
import { tweetIntentUrl } from '../../utils/x-links';

/** The content script has this long to open and fill the composer. */
export const FILL_TIMEOUT_MS = 15_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([promise, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

async function openIntent(text: string, replyToTweetId: string | null): Promise<FillOutcome> {
  try {
    await browser.tabs.create({ url: tweetIntentUrl(text, replyToTweetId), active: true });
    return { ok: true, method: 'intent' };
  } catch {
    return { ok: false, code: 'no_tab' };
  }
}

/** Fills the composer in `tabId` (an X tab) with `text`, replying to `replyToTweetId` when set. */
export async function fillComposerInTab(
  tabId: number | null,
  text: string,
  replyToTweetId: string | null,
): Promise<FillOutcome> {
  // What the extension wrote: a payment awaiting confirmation with any other tweet gets flagged in the popup.
  await filledTweetsItem.setValue(rememberTweet(await filledTweetsItem.getValue(), text));
  if (tabId === null) return openIntent(text, replyToTweetId);
  await setComposerChanged(tabId, false);
  const tab = await browser.tabs.get(tabId).catch(() => undefined);
  // Still an X page? (`url` is visible for the hosts the content script runs on.)
  if (!tab || (tab.url !== undefined && !X_ORIGINS.includes(originOf(tab.url)))) {
    return openIntent(text, replyToTweetId);
  }
  await browser.tabs.update(tabId, { active: true }).catch(() => undefined);
  if (tab.windowId !== undefined) {
    await browser.windows.update(tab.windowId, { focused: true }).catch(() => undefined);
  }
  let reply: MessageReply<'fillComposer'> | 'timeout' | undefined;
  try {
    reply = await withTimeout(
      sendToTab(tabId, 'fillComposer', { text, ...(replyToTweetId && { replyToTweetId }) }),
      FILL_TIMEOUT_MS,
    );
  } catch {
    reply = undefined; // no content script in that tab (navigated away, not loaded yet)
  }
  // No content script answered: X's web intent does the job in a new tab.
  if (reply === undefined) return openIntent(text, replyToTweetId);
  // Still busy or failed: the confirm window shows the exact text to post (no second composer on top).
  if (reply === 'timeout') return { ok: false, code: 'verify_failed' };
  if (reply.ok) return { ok: true, method: reply.method };
  // The content script found no composer, or X did not take the text (it cleared what it tried): X's web intent
  // does the job in a new tab (the in-page fill's fallback).
  if (reply.code === 'no_composer' || reply.code === 'verify_failed') return openIntent(text, replyToTweetId);
  return { ok: false, code: reply.code };
}

/** Records whether the composer filled in `tabId` was changed (false clears it). */
export async function setComposerChanged(tabId: number, changed: boolean): Promise<void> {
  const all = await composerChangedItem.getValue();
  if (!!all[tabId] === changed) return;
  const next = { ...all };
  if (changed) next[tabId] = true;
  else delete next[tabId];
  await composerChangedItem.setValue(next);
}
