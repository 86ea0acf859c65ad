import type { Balance } from '../core/wallet-types';
import { useI18n } from './i18n-context';

/** Available balance in large type, held funds underneath. */
export function BalanceCard({ balance }: { balance: Balance }) {
  const { t, money } = useI18n();
  return (
    <section class="card" aria-labelledby="balance-title" data-testid="balance">
      <h2 id="balance-title" class="muted">
        {t('popup.available')}
      </h2>
      <p class="balance__main" data-testid="balance-available">
        {money(balance.availableCents)}
      </p>
      <p class="balance__held" data-testid="balance-held">
        {t('popup.heldAmount', { amount: money(balance.heldCents) })}
      </p>
    </section>
  );
}
