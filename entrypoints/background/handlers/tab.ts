/**
 * The popup's "Pay @handle" (extension pages only): `getActiveTabTarget` reads which X profile or post the active
 * tab shows (from its URL, so it works even when X's page changed and no in-page button shows), and
 * `payActiveTab` opens the confirm window for it, exactly as an in-page Pay button would.
 */
import { browser, type Browser } from 'wxt/browser';
import { openConfirmWindow } from '../confirm-window';
import { sendToTab, type MessageReply, type TabTarget } from '../../../utils/messaging';
import { addPendingRequest } from '../payment-requests';
import { parseXTarget } from '../../../utils/x-links';
import { INVALID, isEmpty } from './validate';

/** How long a tab's content script gets to say where it is. */
const ASK_TIMEOUT_MS = 1_000;
/** At most this many recent tabs are asked when the popup sits in a tab itself. */
const MAX_CANDIDATES = 5;

/**
 * The page a tab shows: its URL when the browser lets us see it, else what our content script in it says
 * (there is one only on X pages; no `tabs` permission is needed).
 */
async function pageUrlOf(tab: Browser.tabs.Tab): Promise<string | undefined> {
  if (tab.url) return tab.url;
  if (tab.id === undefined) return undefined;
  const reply = await Promise.race([
    sendToTab(tab.id, 'getPageUrl', {}).catch(() => undefined),
    new Promise<undefined>((r) => setTimeout(r, ASK_TIMEOUT_MS)),
  ]);
  return reply?.ok && typeof reply.url === 'string' ? reply.url : undefined;
}

/**
 * The tab the popup speaks of: the active tab; when the popup itself sits in a tab (opened as a page), the tabs
 * used last stand in for it, most recent first.
 */
export async function candidateTabs(): Promise<Browser.tabs.Tab[]> {
  const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  if (!tab?.url?.startsWith(browser.runtime.getURL('/'))) return tab ? [tab] : [];
  const all = await browser.tabs.query({});
  return all
    .filter((t) => t.id !== tab.id && !t.url?.startsWith(browser.runtime.getURL('/')))
    .sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))
    .slice(0, MAX_CANDIDATES);
}

/** The X profile or post in the active tab (see `candidateTabs`). */
async function activeTarget(): Promise<{ target: TabTarget; tabId: number } | null> {
  for (const t of await candidateTabs()) {
    const target = parseXTarget(await pageUrlOf(t));
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
