/**
 * What the popup reads and does (extension pages only): `getSummary` (balance, the user's payments still waiting
 * for them — a hand-typed tweet to confirm, a payment tweet to post —, the 20 latest), `confirmPayment` and
 * `cancelPayment`.
 */
import type { MessageReply, PageErrorCode } from '../../../utils/messaging';
import type { ApiResult, WalletClient } from '../wallet/client';
import type { Payment } from '../../../core/wallet-types';
import { composerChangedItem, filledTweetsItem } from '../../../utils/storage';
import { notWrittenByUs } from '../written-tweets';
import { observePayments, pollPayments } from '../tracker';
import { INVALID, isEmpty, isId, plainObject } from './validate';

/** The latest payments the popup lists. */
export const RECENT_COUNT = 20;

export function failure(res: Extract<ApiResult<unknown>, { ok: false }>): {
  ok: false;
  code: PageErrorCode;
  message?: string;
} {
  return { ok: false, code: res.code, ...(res.message && { message: res.message }) };
}

export function paymentHandlers(client: WalletClient) {
  const act = async (
    data: unknown,
    run: (id: string) => Promise<ApiResult<Payment>>,
  ): Promise<MessageReply<'confirmPayment'>> => {
    const d = plainObject(data, ['paymentId']);
    if (!d || !isId(d.paymentId)) return INVALID;
    const res = await run(d.paymentId);
    if (!res.ok) return failure(res);
    await pollPayments(client).catch(() => false);
    return { ok: true, payment: res.value };
  };

  return {
    async getSummary(data: unknown): Promise<MessageReply<'getSummary'>> {
      if (!isEmpty(data)) return INVALID;
      const [me, recent, awaiting] = await Promise.all([
        client.me(),
        client.payments({ limit: RECENT_COUNT }),
        client.payments({ status: ['awaiting_confirmation', 'awaiting_tweet'], limit: 100 }),
      ]);
      if (!me.ok) return failure(me);
      if (!recent.ok) return failure(recent);
      if (!awaiting.ok) return failure(awaiting);
      const pending = awaiting.value.items.filter((p) => p.direction === 'sent');
      await observePayments(
        client,
        [...recent.value.items, ...awaiting.value.items],
        awaiting.value.items.filter((p) => p.status === 'awaiting_confirmation'),
      );
      const [filled, changed] = await Promise.all([
        filledTweetsItem.getValue(),
        composerChangedItem.getValue(),
      ]);
      return {
        ok: true,
        me: me.value,
        pending,
        notWrittenByUs: notWrittenByUs(pending, filled),
        composerChanged: Object.values(changed).some(Boolean),
        recent: recent.value.items,
      };
    },

    confirmPayment: (data: unknown) => act(data, (id) => client.confirmPayment(id)),
    cancelPayment: (data: unknown) => act(data, (id) => client.cancelPayment(id)),
  };
}
