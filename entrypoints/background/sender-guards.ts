/**
 * Sender guards for `runtime.onMessage` (docs/ARCHITECTURE.md "Trust boundaries", SECURITY.md).
 *
 * The background applies one of these before any handler runs: content-script messages must come from our own
 * content script in the top frame of an X tab; privileged messages only from our own extension pages.
 */
import type { Browser } from 'wxt/browser';
import { X_ORIGINS } from '../../core/x-ids';

export type MessageSender = Browser.runtime.MessageSender;

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * True when `sender` is this extension's content script in the top frame of an X tab.
 *
 * Checks `sender.id`, the presence of `sender.tab` (with an id), `frameId === 0` and the frame's origin
 * (`sender.url`; also `sender.origin` where the browser gives it, and the tab's URL when it is visible).
 */
export function isFromXContentScript(sender: MessageSender, runtimeId: string): boolean {
  if (sender.id !== runtimeId) return false;
  if (!sender.tab || typeof sender.tab.id !== 'number' || sender.tab.id < 0) return false;
  if (sender.frameId !== 0) return false;
  const origin = originOf(sender.url);
  if (!origin || !X_ORIGINS.includes(origin)) return false;
  if (sender.origin !== undefined && sender.origin !== origin) return false;
  const tabOrigin = originOf(sender.tab.url);
  if (sender.tab.url !== undefined && (!tabOrigin || !X_ORIGINS.includes(tabOrigin))) return false;
  return true;
}

/**
 * True when `sender` is one of this extension's own pages (popup, confirm.html, options.html).
 *
 * `extensionBase` is `runtime.getURL('/')`. The page's URL must start with it, and if the page sits in a tab, that
 * tab must be an extension page too (an extension frame embedded in a web page is refused).
 */
export function isFromExtensionPage(
  sender: MessageSender,
  runtimeId: string,
  extensionBase: string,
): boolean {
  if (sender.id !== runtimeId) return false;
  if (!sender.url || !sender.url.startsWith(extensionBase)) return false;
  if (sender.tab) {
    if (sender.tab.url !== undefined && !sender.tab.url.startsWith(extensionBase)) return false;
    if (sender.frameId !== undefined && sender.frameId !== 0) return false;
  }
  return true;
}
