/**
 * The confirm window's handlers (extension pages only): `getConfirmContext` (the request, the recipient as the
 * server resolves it, the wallet's rules, the payer's balance), `createPayment` (the approval: a payment intent is
 * saved with its Idempotency-Key BEFORE the request leaves; tweet mode then fills the composer in the originating
 * X tab) and `cancelRequest` (the window was closed or canceled).
 */
import type { MessageReply } from '../../../utils/messaging';
import { isValidCents } from '../../../core/money';
import { getPendingRequest, removePendingRequest, toRequestView } from '../payment-requests';
import { createLock } from '../../../utils/serial';
import type { PaymentIntent } from '../../../utils/storage';
import type { WalletClient } from '../wallet/client';
import { getIntent, saveNewIntent, sendIntent } from '../wallet/intents';
import type { CreatePaymentBody, Payment, PaymentMode } from '../../../core/wallet-types';
import { fillComposerInTab } from '../fill';
import { observePayments, pollSoon } from '../tracker';
import { failure } from './payments';
import { INVALID, isId, plainObject } from './validate';

/** The longest message accepted here (the server checks the exact tweet grammar and length). */
export const MAX_MESSAGE_LENGTH = 280;

const MODES: readonly PaymentMode[] = ['tweet', 'private'];

function sameBody(a: CreatePaymentBody, b: CreatePaymentBody): boolean {
  return JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());
}

export function confirmHandlers(client: WalletClient) {
  /** One approval at a time: a double submit finds the first one's intent instead of racing it. */
  const withApproval = createLock();

  /** The answer to a created payment: tweet mode fills the composer in the X tab it came from. */
  const finish = async (payment: Payment, tabId: number | null): Promise<MessageReply<'createPayment'>> => {
    await observePayments(client, [payment]).catch(() => undefined);
    await pollSoon().catch(() => undefined);
    const fill =
      payment.mode === 'tweet' && payment.status === 'awaiting_tweet' && payment.tweetText
        ? await fillComposerInTab(tabId, payment.tweetText, payment.replyToTweetId)
        : null;
    return { ok: true, payment, fill };
  };

  /** Settles an intent this request already has. Null when the request may go on with a new intent. */
  const settleExisting = async (
    intent: PaymentIntent,
    body: CreatePaymentBody,
  ): Promise<MessageReply<'createPayment'> | null> => {
    if (intent.state === 'sent' && intent.paymentId) {
      const payment = await client.payment(intent.paymentId);
      return payment.ok ? finish(payment.value, intent.tabId) : failure(payment);
    }
    if (intent.state !== 'sending') return null;
    // An earlier approval whose outcome is unknown (worker killed, network lost): re-send it with its own key. If
    // it went through, that is the payment (never a second one); if it was refused, this approval goes on.
    const res = await sendIntent(client, intent);
    if (res.ok) {
      await removePendingRequest(intent.requestId);
      return finish(res.value, intent.tabId);
    }
    const after = await getIntent(intent.requestId);
    if (after?.state === 'rejected' && !sameBody(intent.body, body)) return null;
    return failure(res);
  };

  return {
    async getConfirmContext(data: unknown): Promise<MessageReply<'getConfirmContext'>> {
      const d = plainObject(data, ['requestId']);
      if (!d || !isId(d.requestId)) return INVALID;
      if (!(await client.hasSession())) return { ok: false, code: 'signed_out' };
      const request = await getPendingRequest(d.requestId);
      if (!request) return { ok: false, code: 'request_expired' };
      const [me, recipient, config] = await Promise.all([
        client.me(),
        client.recipient(request.recipientHandle),
        client.config(),
      ]);
      if (!me.ok) return failure(me);
      if (!recipient.ok) return failure(recipient);
      if (!config.ok) return failure(config);
      return {
        ok: true,
        request: toRequestView(request),
        recipient: recipient.value,
        config: config.value,
        me: me.value,
      };
    },

    async createPayment(data: unknown): Promise<MessageReply<'createPayment'>> {
      const d = plainObject(data, ['requestId', 'amountCents', 'message', 'mode']);
      if (!d || !isId(d.requestId)) return INVALID;
      const { requestId, amountCents, mode } = d;
      if (!isValidCents(amountCents) || amountCents < 1) return INVALID;
      if (typeof mode !== 'string' || !MODES.includes(mode as PaymentMode)) return INVALID;
      if (d.message !== undefined && typeof d.message !== 'string') return INVALID;
      const message = typeof d.message === 'string' ? d.message.trim() : '';
      if (message.length > MAX_MESSAGE_LENGTH) return INVALID;

      return withApproval(async () => {
        const accountId = await client.accountId();
        if (!accountId || !(await client.hasSession())) return { ok: false, code: 'signed_out' };
        const request = await getPendingRequest(requestId);
        const existing = await getIntent(requestId);
        const body: CreatePaymentBody = {
          recipientHandle: request?.recipientHandle ?? existing?.body.recipientHandle ?? '',
          amountCents,
          currency: 'EUR',
          mode: mode as PaymentMode,
          ...(message && { message }),
          ...(mode === 'tweet' && request?.tweetId && { replyToTweetId: request.tweetId }),
        };
        if (existing) {
          if (existing.accountId !== accountId) return { ok: false, code: 'conflict' };
          const settled = await settleExisting(existing, body);
          if (settled) return settled;
        }
        if (!request) return { ok: false, code: 'request_expired' };
        const intent = await saveNewIntent({ requestId, body, accountId, tabId: request.tabId });
        const res = await sendIntent(client, intent);
        if (!res.ok) return failure(res);
        await removePendingRequest(requestId);
        return finish(res.value, request.tabId);
      });
    },

    async cancelRequest(data: unknown): Promise<MessageReply<'cancelRequest'>> {
      const d = plainObject(data, ['requestId']);
      if (!d || !isId(d.requestId)) return INVALID;
      await removePendingRequest(d.requestId);
      return { ok: true };
    },
  };
}
