/**
 * The trusted confirm window (docs/ARCHITECTURE.md "Trust boundaries"): one `confirm.html` popup window at a time, opened
 * by the background, reused and focused when a new request arrives; closing it cancels its request.
 */
import { browser } from 'wxt/browser';
import { confirmWindowItem } from '../../utils/storage';
import { createLock } from '../../utils/serial';
import { removePendingRequest } from './payment-requests';

export const CONFIRM_WINDOW_SIZE = { width: 420, height: 640 } as const;

const withWindow = createLock();

/** The URL of the confirm page for a request. */
export function confirmUrl(requestId: string): string {
  return browser.runtime.getURL(`/confirm.html?request=${encodeURIComponent(requestId)}` as '/confirm.html');
}

/**
 * Shows `requestId` in the confirm window: navigates and focuses the open one, or creates a new popup window.
 * Returns the window id.
 */
export function openConfirmWindow(requestId: string): Promise<number> {
  return withWindow(async () => {
    const url = confirmUrl(requestId);
    const state = await confirmWindowItem.getValue();
    if (state) {
      const win = await browser.windows.get(state.windowId, { populate: true }).catch(() => undefined);
      if (win?.id !== undefined) {
        const tabId = win.tabs?.[0]?.id;
        if (state.requestId !== requestId && tabId !== undefined) await browser.tabs.update(tabId, { url });
        await confirmWindowItem.setValue({ windowId: win.id, requestId });
        await browser.windows.update(win.id, { focused: true, drawAttention: true });
        return win.id;
      }
    }
    const win = await browser.windows.create({ url, type: 'popup', ...CONFIRM_WINDOW_SIZE });
    if (win?.id === undefined) throw new Error('the confirm window could not be opened');
    await confirmWindowItem.setValue({ windowId: win.id, requestId });
    return win.id;
  });
}

/** `windows.onRemoved`: closing the confirm window cancels the request it showed. */
export function onWindowRemoved(windowId: number): Promise<void> {
  return withWindow(async () => {
    const state = await confirmWindowItem.getValue();
    if (!state || state.windowId !== windowId) return;
    await confirmWindowItem.setValue(null);
    await removePendingRequest(state.requestId);
  });
}
