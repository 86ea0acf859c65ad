/**
 * "Link your X account" (extension pages only): the wallet starts Sign in with X and answers X's consent
 * address; the background opens it in a new tab (no permission needed). The wallet server, not the
 * extension, receives X's answer, so no X token ever reaches the extension.
 */
import { browser } from 'wxt/browser';
import type { MessageReply } from '../../../utils/messaging';
import type { WalletClient } from '../wallet/client';
import { INVALID, isEmpty } from './validate';

export function xLinkHandlers(client: WalletClient, openTab = (url: string) => browser.tabs.create({ url })) {
  return {
    async startXLink(data: unknown): Promise<MessageReply<'startXLink'>> {
      if (!isEmpty(data)) return INVALID;
      const r = await client.startXLink();
      if (!r.ok) return { ok: false, code: r.code, ...(r.message && { message: r.message }) };
      let url: URL;
      try {
        url = new URL(r.value.authorizeUrl);
      } catch {
        return { ok: false, code: 'internal' };
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, code: 'internal' };
      await openTab(url.toString());
      return { ok: true };
    },
  };
}
