/**
 * "Add money": an amount within the wallet's bounds, then Stripe's Checkout page in a new tab (the top-up shows
 * as pending in the history until Stripe confirms it), or at once on a sandbox wallet.
 */
import { useState } from 'preact/hooks';
import { Field } from '@/components/Field';
import { useI18n } from '@/components/i18n-context';
import { amountErrorText, errorText } from '@/utils/i18n';
import { parseAmount } from '@/core/money';
import type { TopUpConfig } from '@/core/wallet-types';

interface Props {
  config: TopUpConfig | null;
  busy: boolean;
  done: { kind: 'card' } | { kind: 'instant'; amountCents: number } | null;
  error: string | null;
  onSubmit: (amountCents: number) => Promise<boolean>;
}

export function AddMoney({ config, busy, done, error, onSubmit }: Props) {
  const { t, money, lang } = useI18n();
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  if (!config) return null;
  if (config.method === 'none') {
    return (
      <section class="card" aria-labelledby="topup-title" data-testid="topup-unavailable">
        <h2 id="topup-title">{t('popup.addMoney')}</h2>
        <p class="muted">{t('popup.topupUnavailable')}</p>
      </section>
    );
  }
  const bounds = { min: money(config.minCents), max: money(config.maxCents) };
  const submit = async (e: Event) => {
    e.preventDefault();
    const parsed = parseAmount(text, lang);
    if (!parsed.ok) return setFieldError(amountErrorText(t, parsed.reason, lang));
    if (parsed.cents < config.minCents || parsed.cents > config.maxCents)
      return setFieldError(t('popup.topupRange', bounds));
    setFieldError(null);
    if (await onSubmit(parsed.cents)) setText('');
  };
  return (
    <form class="card" aria-labelledby="topup-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="topup-title">{t('popup.addMoney')}</h2>
      <Field
        id="topup-amount"
        label={t('popup.topupAmount')}
        hint={config.method === 'card' ? t('popup.topupHint', bounds) : t('popup.topupHintInstant', bounds)}
        error={fieldError}
        errorTestId="topup-amount-error"
      >
        {(control) => (
          <div class="row">
            <input
              {...control}
              data-testid="topup-amount"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              value={text}
              onInput={(e) => {
                setText(e.currentTarget.value);
                setFieldError(null);
              }}
            />
            <span aria-hidden="true">€</span>
            <button type="submit" class="btn btn--primary nowrap" data-testid="topup-submit" disabled={busy}>
              {busy
                ? t('popup.topupBusy')
                : config.method === 'card'
                  ? t('popup.topupSubmit')
                  : t('popup.topupSubmitInstant')}
            </button>
          </div>
        )}
      </Field>
      <div role="status" aria-live="polite" data-testid="topup-status">
        {done?.kind === 'card' && <p class="notice notice--info">{t('popup.topupOpened')}</p>}
        {done?.kind === 'instant' && (
          <p class="notice notice--ok">{t('popup.topupCredited', { amount: money(done.amountCents) })}</p>
        )}
        {error && (
          <p class="notice notice--danger" data-testid="topup-error">
            {error === 'forbidden' ? t('popup.topupUnavailable') : errorText(t, error)}
          </p>
        )}
      </div>
    </form>
  );
}
