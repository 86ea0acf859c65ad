import type { Recipient } from '../core/wallet-types';
import { useI18n } from './i18n-context';

/**
 * Who is being paid: display name and @handle as the wallet server returned them (untrusted text, rendered
 * as text), their kind and limit, and whether they have a wallet — if not, what happens to the money.
 */
export function RecipientCard({ recipient, claimDays }: { recipient: Recipient; claimDays: number }) {
  const { t, money } = useI18n();
  const name = recipient.displayName?.trim() || `@${recipient.handle}`;
  const initial = (name.replace(/^@/, '').codePointAt(0) ?? 63) as number;
  return (
    <section class="card" aria-labelledby="recipient-title">
      <h2 id="recipient-title" class="sr-only">
        {t('confirm.recipient')}
      </h2>
      <div class="row">
        <span class="avatar" aria-hidden="true">
          {String.fromCodePoint(initial).toUpperCase()}
        </span>
        <div class="stack" style={{ gap: '2px', minWidth: 0 }}>
          <span class="name ellipsis" data-testid="recipient-name">
            {name}
          </span>
          <span class="muted" data-testid="recipient-handle">
            @{recipient.handle}
          </span>
        </div>
      </div>
      <div class="row" style={{ flexWrap: 'wrap' }}>
        <span
          class={`badge ${recipient.registered ? 'badge--ok' : 'badge--wait'}`}
          data-testid="recipient-status"
          data-registered={String(recipient.registered)}
        >
          {recipient.registered ? t('confirm.hasWallet') : t('confirm.noWallet')}
        </span>
        <span class="badge badge--neutral" data-testid="recipient-kind">
          {t(`kind.${recipient.kind}`)}
        </span>
        <span class="muted" data-testid="recipient-limit">
          {t('confirm.limit', { amount: money(recipient.limitCents) })}
        </span>
      </div>
      {!recipient.registered && (
        <p class="notice notice--info" data-testid="recipient-unregistered">
          {t('confirm.noWalletExplain', { handle: recipient.handle, days: claimDays })}
        </p>
      )}
    </section>
  );
}
