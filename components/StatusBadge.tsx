import type { PaymentStatus } from '../core/wallet-types';
import { useI18n } from './i18n-context';

/** Colour family of each status: done, waiting on someone, or ended without paying. */
export function statusTone(status: PaymentStatus): 'ok' | 'wait' | 'bad' | 'neutral' {
  switch (status) {
    case 'completed':
      return 'ok';
    case 'awaiting_tweet':
    case 'awaiting_confirmation':
    case 'claimable':
      return 'wait';
    case 'failed':
      return 'bad';
    case 'canceled':
    case 'refunded':
      return 'neutral';
  }
}

/** A payment status in words, in the user's language. */
export function StatusBadge({ status }: { status: PaymentStatus }) {
  const { t } = useI18n();
  return (
    <span class={`badge badge--${statusTone(status)}`} data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}
