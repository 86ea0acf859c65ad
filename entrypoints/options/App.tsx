import { useState } from 'preact/hooks';
import { Field, TextField } from '@/components/Field';
import type { ParseAmount } from '@/components/AmountPicker';
import { Brand } from '@/components/Brand';
import { useI18n } from '@/components/i18n-context';
import { PayButtonsFieldset } from '@/components/PayButtonsSettings';
import { XLinkCard } from '@/components/XLinkCard';
import { amountErrorText, errorText, type LanguageSetting } from '@/utils/i18n';
import { MAX_PRESET_CENTS, MAX_PRESETS, MIN_PRESET_CENTS } from '@/utils/storage';
import {
  validateOptions,
  type OptionsErrors,
  type OptionsForm,
  type PresetError,
  type ValidOptions,
} from './form';
import type { PayButtonsSetting } from '@/utils/pay-buttons';
import type { PaymentMode } from '@/core/wallet-types';
import { formatTypedAmount } from '@/core/money';

interface Props {
  initial: OptionsForm;
  parseAmount: ParseAmount;
  /**
   * Ask for the host permission of `origin` when needed. Called synchronously from the click handler (the
   * browser only shows its prompt during a user gesture); resolves to false when refused.
   */
  requestOrigin: (origin: string) => Promise<boolean>;
  save: (value: ValidOptions) => Promise<void>;
  /** Show the saved confirmation at once (the page reloaded after a language change). */
  justSaved?: boolean;
  /** Show Pay buttons on posts / profiles: applied and saved at each change, apart from the form. */
  payButtons: PayButtonsSetting;
  savePayButtons: (value: PayButtonsSetting) => void;
}

type Status =
  | { kind: 'idle' }
  | { kind: 'saved' }
  | { kind: 'invalid' }
  | { kind: 'failed' }
  | { kind: 'denied'; origin: string };

export function App({
  initial,
  parseAmount,
  requestOrigin,
  save,
  justSaved,
  payButtons,
  savePayButtons,
}: Props) {
  const { t, money, lang } = useI18n();
  const [form, setForm] = useState<OptionsForm>(initial);
  const [errors, setErrors] = useState<OptionsErrors>({});
  const [status, setStatus] = useState<Status>({ kind: justSaved ? 'saved' : 'idle' });
  const [saving, setSaving] = useState(false);

  const update = (patch: Partial<OptionsForm>) => {
    setForm({ ...form, ...patch });
    setStatus({ kind: 'idle' });
  };
  const setPreset = (i: number, text: string) =>
    update({ presets: form.presets.map((p, j) => (j === i ? text : p)) });

  const presetError = (e: PresetError): string =>
    e.code === 'parse'
      ? amountErrorText(t, e.reason, lang)
      : e.code === 'duplicate'
        ? t('options.presetDuplicate')
        : t('options.presetRange', { min: money(MIN_PRESET_CENTS), max: money(MAX_PRESET_CENTS) });

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const r = validateOptions(form, parseAmount);
    if (!r.ok) {
      setErrors(r.errors);
      setStatus({ kind: 'invalid' });
      return;
    }
    setErrors({});
    // No await before this call: the permission prompt needs the click's user gesture.
    const granted = requestOrigin(r.value.origin);
    setSaving(true);
    void (async () => {
      try {
        if (!(await granted)) return setStatus({ kind: 'denied', origin: r.value.origin });
        await save(r.value);
        setForm({
          ...form,
          walletUrl: r.value.walletUrl,
          presets: r.value.presets.map((c) => formatTypedAmount(c, lang)),
        });
        setStatus({ kind: 'saved' });
      } catch {
        setStatus({ kind: 'failed' });
      } finally {
        setSaving(false);
      }
    })();
  };

  const walletError = errors.walletUrl ? t('options.serverInvalid') : null;

  return (
    <main class="page page--options" data-testid="options-root">
      <Brand title={t('options.title')} />
      <form class="card" onSubmit={onSubmit} noValidate>
        <TextField
          id="wallet-url"
          label={t('options.server')}
          hint={t('options.serverHint')}
          error={walletError}
          errorTestId="wallet-url-error"
          type="url"
          inputMode="url"
          autoComplete="url"
          spellcheck={false}
          value={form.walletUrl}
          onValue={(walletUrl) => update({ walletUrl })}
        />

        <Field id="language" label={t('options.language')}>
          {(control) => (
            <select
              {...control}
              data-testid="language"
              value={form.language}
              onChange={(e) => update({ language: e.currentTarget.value as LanguageSetting })}
            >
              <option value="auto">{t('options.langAuto')}</option>
              <option value="fr" lang="fr">
                {t('options.langFr')}
              </option>
              <option value="en" lang="en">
                {t('options.langEn')}
              </option>
            </select>
          )}
        </Field>

        <fieldset>
          <legend>{t('options.defaultMode')}</legend>
          <div class="modes">
            {(['tweet', 'private'] as PaymentMode[]).map((mode) => (
              <label class="mode" key={mode}>
                <input
                  type="radio"
                  name="defaultMode"
                  value={mode}
                  data-testid={`default-mode-${mode}`}
                  checked={form.defaultMode === mode}
                  onChange={() => update({ defaultMode: mode })}
                />
                <span class="mode__title">
                  {mode === 'tweet' ? t('confirm.modeTweet') : t('confirm.modePrivate')}
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset aria-describedby="presets-hint">
          <legend>{t('options.presets')}</legend>
          <p id="presets-hint" class="muted" style={{ marginBottom: '6px' }}>
            {t('options.presetsHint')}
          </p>
          <div class="stack">
            {form.presets.map((text, i) => {
              const err = errors.presets?.[i] ?? null;
              const n = i + 1;
              return (
                <div class="stack" key={i} style={{ gap: '2px' }}>
                  <div class="row">
                    <label class="sr-only" for={`preset-${i}`}>
                      {t('options.presetLabel', { n })}
                    </label>
                    <input
                      id={`preset-${i}`}
                      data-testid={`preset-field-${i}`}
                      type="text"
                      inputMode="decimal"
                      value={text}
                      aria-invalid={err ? true : undefined}
                      aria-describedby={err ? `preset-${i}-error` : undefined}
                      onInput={(e) => setPreset(i, e.currentTarget.value)}
                    />
                    <span aria-hidden="true">€</span>
                    <button
                      type="button"
                      class="btn btn--small"
                      aria-label={t('options.removePreset', { n })}
                      disabled={form.presets.length <= 1}
                      onClick={() => update({ presets: form.presets.filter((_, j) => j !== i) })}
                    >
                      ✕
                    </button>
                  </div>
                  {err && (
                    <p id={`preset-${i}-error`} class="field-error" data-testid={`preset-error-${i}`}>
                      {presetError(err)}
                    </p>
                  )}
                </div>
              );
            })}
            {errors.presetCount && (
              <p class="field-error" data-testid="preset-count-error">
                {t('options.presetCount')}
              </p>
            )}
            {form.presets.length < MAX_PRESETS && (
              <button
                type="button"
                class="btn btn--small"
                style={{ alignSelf: 'flex-start' }}
                data-testid="add-preset"
                onClick={() => update({ presets: [...form.presets, ''] })}
              >
                + {t('options.addPreset')}
              </button>
            )}
          </div>
        </fieldset>

        <div class="row">
          <button type="submit" class="btn btn--primary" data-testid="save" disabled={saving}>
            {t('options.save')}
          </button>
          <p role="status" aria-live="polite" data-testid="save-status">
            {status.kind === 'saved' && <span class="notice notice--ok">{t('options.saved')}</span>}
            {status.kind === 'invalid' && <span class="field-error">{t('options.fixErrors')}</span>}
            {status.kind === 'failed' && <span class="field-error">{errorText(t, 'internal')}</span>}
            {status.kind === 'denied' && (
              <span class="field-error">{t('options.permissionDenied', { origin: status.origin })}</span>
            )}
          </p>
        </div>
      </form>
      <section class="card" data-testid="pay-buttons-settings">
        <PayButtonsFieldset value={payButtons} onChange={savePayButtons} />
      </section>
      <XLinkCard />
    </main>
  );
}
