/**
 * The popup's "Pay @handle" (extension pages only): `getActiveTabTarget` reads which X profile or post the active
 * tab shows (from its URL, so it works even when X's page changed and no in-page button shows), and
 * `payActiveTab` opens the confirm window for it, exactly as an in-page Pay button would.
 */
import { browser } from 'wxt/browser';
import { openConfirmWindow } from '../../../utils/confirm-window';
import type { MessageReply, TabTarget } from '../../../utils/messaging';
import { addPendingRequest } from '../../../utils/payment-requests';
import { parseXTarget } from '../../../utils/x-links';
import { INVALID, isEmpty } from './validate';

/**
 * The X profile or post in the active tab. When the popup itself sits in a tab (opened as a page), the X tab used
 * last stands in for it.
 */
async function activeTarget(): Promise<{ target: TabTarget; tabId: number } | null> {
  const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  let candidates = tab ? [tab] : [];
  if (tab?.url?.startsWith(browser.runtime.getURL('/'))) {
    const all = await browser.tabs.query({});
    candidates = all
      .filter((t) => t.id !== tab.id)
      .sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
  }
  for (const t of candidates) {
    const target = parseXTarget(t.url);
    if (t.id !== undefined && target) return { target, tabId: t.id };
  }
  return null;
}

export const tabHandlers = {
  async getActiveTabTarget(data: unknown): Promise<MessageReply<'getActiveTabTarget'>> {
    if (!isEmpty(data)) return INVALID;
    return { ok: true, target: (await activeTarget())?.target ?? null };
  },

  async payActiveTab(data: unknown): Promise<MessageReply<'payActiveTab'>> {
    if (!isEmpty(data)) return INVALID;
    const active = await activeTarget();
    if (!active) return { ok: false, code: 'no_target' };
    const { request } = await addPendingRequest(
      {
        recipientHandle: active.target.recipientHandle,
        ...(active.target.tweetId && { tweetId: active.target.tweetId }),
        source: 'popup',
      },
      active.tabId,
    );
    await openConfirmWindow(request.id);
    return { ok: true, requestId: request.id };
  },
};
