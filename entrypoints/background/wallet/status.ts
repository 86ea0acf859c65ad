/**
 * Status tracking: compares the payments the wallet returns with the last status seen for each,
 * notifies the transitions that matter (completed, claimable, refunded, failed, and a hand-typed payment waiting
 * for confirmation) exactly once, and keeps the toolbar badge at the number of payments awaiting the user's
 * confirmation. Background only.
 */
import type { Lang } from '../../../core/lang';
import { formatAmount } from '../../../core/money';
import type { Payment, PaymentStatus } from '../../../core/wallet-types';
import { isNoticeEvent, noticeText } from '../../../utils/i18n';
import { createLock } from '../../../utils/serial';
import { trackedItem, type TrackedStatuses } from '../../../utils/storage';

export interface Notice {
  title: string;
  message: string;
}

/** At most this many payment statuses are remembered (the oldest are forgotten first). */
const MAX_TRACKED = 500;

const withTracked = createLock();

const at = (handle: string | null) => (handle ? `@${handle}` : '?');

/** The notification for a payment that just reached `payment.status`, or null if that status is not notified. */
export function noticeFor(payment: Payment, lang: Lang): Notice | null {
  // A payee only hears of a completed payment; a payer of each status that has a notice.
  const event =
    payment.direction === 'received' ? payment.status === 'completed' && 'received' : payment.status;
  if (!event || !isNoticeEvent(event)) return null;
  const params = {
    amount: formatAmount(payment.amountCents, lang),
    to: at(payment.recipient.handle),
    from: at(payment.payer.handle),
  };
  return noticeText(lang, event, params);
}

/** Number of payments waiting for this user's confirmation (payer side). */
export function awaitingMyConfirmation(payments: readonly Payment[]): number {
  return payments.filter((p) => p.direction === 'sent' && p.status === 'awaiting_confirmation').length;
}

/**
 * Records the statuses of `payments` for `accountId` and calls `notify` for each new notifiable status. The first
 * look at an account (or after switching accounts) only records: old payments are not announced.
 * Returns the notices sent. Each (payment, status) is notified at most once, even across restarts.
 */
export function trackPayments(
  accountId: string,
  payments: readonly Payment[],
  lang: Lang,
  notify: (id: string, notice: Notice) => Promise<void>,
): Promise<Notice[]> {
  return withTracked(() => track(accountId, payments, lang, notify));
}

async function track(
  accountId: string,
  payments: readonly Payment[],
  lang: Lang,
  notify: (id: string, notice: Notice) => Promise<void>,
): Promise<Notice[]> {
  const stored = await trackedItem.getValue();
  const baseline = stored.accountId !== accountId;
  const next: TrackedStatuses = {
    accountId,
    statuses: baseline ? {} : { ...stored.statuses },
  };
  const sent: Notice[] = [];
  const changed: [string, PaymentStatus][] = [];
  for (const payment of payments) {
    if (next.statuses[payment.id] === payment.status) continue;
    changed.push([payment.id, payment.status]);
    if (baseline) continue;
    const notice = noticeFor(payment, lang);
    if (!notice) continue;
    sent.push(notice);
    try {
      await notify(`payment:${payment.id}:${payment.status}`, notice);
    } catch {
      // a notification that cannot be shown is not retried: the status is still recorded (no loop, no spam)
    }
  }
  if (!baseline && changed.length === 0) return sent;
  for (const [id, status] of changed) {
    delete next.statuses[id];
    next.statuses[id] = status;
  }
  const ids = Object.keys(next.statuses);
  for (const id of ids.slice(0, Math.max(0, ids.length - MAX_TRACKED))) delete next.statuses[id];
  await trackedItem.setValue(next);
  return sent;
}
