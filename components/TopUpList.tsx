/** Card top-ups in the popup's history: amount, status (pending, then credited…), date. */
import type { TopUp, TopUpStatus } from '../core/wallet-types';
import { useI18n } from './i18n-context';

const TONE: Record<TopUpStatus, 'ok' | 'wait' | 'bad' | 'neutral'> = {
  pending: 'wait',
  credited: 'ok',
  failed: 'bad',
  expired: 'neutral',
  refunded: 'neutral',
};

export function TopUpList({ topUps, labelledBy }: { topUps: TopUp[]; labelledBy: string }) {
  const { t, money, date } = useI18n();
  return (
    <ul class="list" data-testid="topup-list" aria-labelledby={labelledBy}>
      {topUps.map((u) => (
        <li class="list__item" key={u.id} data-topup-id={u.id} data-status={u.status}>
          <div class="row row--between">
            <span class="ellipsis">{t('popup.topupItem')}</span>
            <span class={`amount${u.status === 'credited' ? ' amount--in' : ''}`}>
              +{money(u.amountCents)}
            </span>
          </div>
          <div class="row">
            <span class={`badge badge--${TONE[u.status]}`} data-status={u.status}>
              {t(`topup.${u.status}`)}
            </span>
            <span class="muted nowrap">{date(u.createdAt)}</span>
          </div>
        </li>
      ))}
    </ul>
  );
}
