import type { PaymentMode } from '../core/wallet-types';
import { useI18n } from './i18n-context';

/** Tweet publicly (the S-money way) or pay privately: a radio group. */
export function ModeSwitch({ mode, onChange }: { mode: PaymentMode; onChange: (mode: PaymentMode) => void }) {
  const { t } = useI18n();
  const option = (value: PaymentMode, title: string, hint: string) => (
    <label class="mode">
      <input
        type="radio"
        name="mode"
        value={value}
        data-testid={`mode-${value}`}
        checked={mode === value}
        onChange={() => onChange(value)}
      />
      <span class="stack" style={{ gap: '2px' }}>
        <span class="mode__title">{title}</span>
        <span class="muted">{hint}</span>
      </span>
    </label>
  );
  return (
    <fieldset>
      <legend>{t('confirm.mode')}</legend>
      <div class="modes">
        {option('tweet', t('confirm.modeTweet'), t('confirm.modeTweetHint'))}
        {option('private', t('confirm.modePrivate'), t('confirm.modePrivateHint'))}
      </div>
    </fieldset>
  );
}
