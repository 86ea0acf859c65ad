/**
 * `composerChanged` (content script → background): the payment tweet the extension filled in this X tab was
 * changed there (or holds again, or is gone). Only a flag per tab is kept; the popup shows a warning while any is
 * set. The sender is already guarded (our content script, top frame of an X tab).
 */
import type { MessageReply } from '../../../utils/messaging';
import type { MessageSender } from '../sender-guards';
import { setComposerChanged } from '../fill';
import { INVALID, plainObject } from './validate';

export async function composerChanged(
  data: unknown,
  sender: MessageSender,
): Promise<MessageReply<'composerChanged'>> {
  const tabId = sender.tab?.id;
  if (tabId === undefined) return { ok: false, code: 'forbidden' };
  const d = plainObject(data, ['changed']);
  if (!d || typeof d.changed !== 'boolean') return INVALID;
  await setComposerChanged(tabId, d.changed);
  return { ok: true };
}
