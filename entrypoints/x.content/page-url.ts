/**
 * page-url: answers the background's `getPageUrl` with this tab's address, so the popup's "Pay @handle" knows
 * which profile or post the tab shows (the extension has no `tabs` permission to read X tabs' URLs). Only the
 * address leaves; the background parses and validates it.
 */
import { browser } from 'wxt/browser';
import type { MessageReply } from '../../utils/messaging';
import type { ScriptContext } from '../../utils/x/lifecycle';

export function pageUrl(ctx: ScriptContext): void {
  const listener = (
    message: unknown,
    sender: { id?: string },
  ): Promise<MessageReply<'getPageUrl'>> | undefined => {
    if (!message || typeof message !== 'object' || (message as { type?: unknown }).type !== 'getPageUrl') {
      return undefined;
    }
    if (sender.id !== browser.runtime.id) return Promise.resolve({ ok: false, code: 'invalid_request' });
    return Promise.resolve({ ok: true, url: location.href });
  };
  browser.runtime.onMessage.addListener(listener);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(listener));
}
