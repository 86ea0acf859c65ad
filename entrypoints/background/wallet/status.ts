/**
 * Status tracking (issue 5 item 5): compares the payments the wallet returns with the last status seen for each,
 * notifies the transitions that matter (completed, claimable, refunded, failed, and a hand-typed payment waiting
 * for confirmation) exactly once, and keeps the toolbar badge at the number of payments awaiting the user's
 * confirmation. Background only.
 */
import { createLock } from '../../../utils/serial';
import { trackedItem, type TrackedStatuses } from '../../../utils/storage';
import type { Payment, PaymentStatus } from '../../../core/wallet-types';

export type Lang = 'fr' | 'en';

export interface Notice {
  title: string;
  message: string;
}

/** At most this many payment statuses are remembered (the oldest are forgotten first). */
const MAX_TRACKED = 500;

/** Euros for a notification, in the user's language ("5,00 €" / "€5.00"). Display only: no arithmetic. */
export function formatEuros(cents: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    style: 'currency',
    currency: 'EUR',
  }).format(cents / 100);
}

const withTracked = createLock();

const at = (handle: string | null) => (handle ? `@${handle}` : '?');

/** The notification for a payment that just reached `payment.status`, or null if that status is not notified. */
export function noticeFor(payment: Payment, lang: Lang): Notice | null {
  const fr = lang === 'fr';
  const amount = formatEuros(payment.amountCents, lang);
  const to = at(payment.recipient.handle);
  const from = at(payment.payer.handle);
  if (payment.direction === 'received') {
    if (payment.status !== 'completed') return null;
    return fr
      ? { title: 'Paiement reçu', message: `${from} vous a payé ${amount}.` }
      : { title: 'Payment received', message: `${from} paid you ${amount}.` };
  }
  switch (payment.status) {
    case 'completed':
      return fr
        ? { title: 'Paiement effectué', message: `${amount} payés à ${to}.` }
        : { title: 'Payment completed', message: `${amount} paid to ${to}.` };
    case 'claimable':
      return fr
        ? {
            title: 'Paiement en attente du bénéficiaire',
            message: `${to} n'a pas encore de portefeuille : ${amount} lui sont réservés jusqu'à ce qu'il en ouvre un (remboursé sinon).`,
          }
        : {
            title: 'Payment waiting for the recipient',
            message: `${to} has no wallet yet: ${amount} are held until they open one (refunded otherwise).`,
          };
    case 'refunded':
      return fr
        ? { title: 'Paiement remboursé', message: `${amount} pour ${to} vous ont été rendus.` }
        : { title: 'Payment refunded', message: `${amount} for ${to} came back to you.` };
    case 'failed':
      return fr
        ? { title: 'Paiement échoué', message: `Le paiement de ${amount} à ${to} a échoué.` }
        : { title: 'Payment failed', message: `The payment of ${amount} to ${to} failed.` };
    case 'awaiting_confirmation':
      return fr
        ? {
            title: 'Paiement à confirmer',
            message: `Confirmez ou annulez ${amount} à ${to} dans Tweetez Payez.`,
          }
        : { title: 'Payment to confirm', message: `Confirm or cancel ${amount} to ${to} in Tweetez Payez.` };
    default:
      return null;
  }
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
