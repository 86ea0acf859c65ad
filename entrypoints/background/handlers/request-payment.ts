/**
 * `requestPayment` (content script → background): the in-page Pay button asks for a payment. The sender is
 * already guarded (our content script, top frame of an X tab). Validates the payload, throttles, stores the
 * pending request with its tab and opens (or focuses) the trusted confirm window. It never pays anything.
 */
import { openConfirmWindow } from '../confirm-window';
import type { MessageReply } from '../../../utils/messaging';
import { addPendingRequest, parseRequestPaymentData, RequestThrottle } from '../payment-requests';
import type { MessageSender } from '../sender-guards';

const throttle = new RequestThrottle();

export async function requestPayment(
  data: unknown,
  sender: MessageSender,
): Promise<MessageReply<'requestPayment'>> {
  const tabId = sender.tab?.id;
  if (tabId === undefined) return { ok: false, code: 'forbidden' };
  const parsed = parseRequestPaymentData(data);
  if (!parsed || parsed.source === 'popup') return { ok: false, code: 'invalid_request' };
  if (!throttle.allow(tabId, Date.now())) return { ok: false, code: 'throttled' };
  const { request } = await addPendingRequest(parsed, tabId);
  await openConfirmWindow(request.id);
  return { ok: true, requestId: request.id };
}
