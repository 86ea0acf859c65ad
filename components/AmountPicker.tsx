import { TextField } from './Field';
import { useI18n } from './i18n-context';

/** What the user picked: a preset button, or text typed in the custom field. */
export type AmountChoice = { kind: 'preset'; cents: number } | { kind: 'custom'; text: string };

/** A parser for typed amounts (core/money.ts `parseAmount` bound to the user's locale). */
export type ParseAmount = (text: string) => { ok: true; cents: number } | { ok: false; reason: string };

export type ResolvedAmount =
  { state: 'ok'; cents: number } | { state: 'empty' } | { state: 'invalid'; reason: string };

/** The amount in cents a choice stands for (a preset as is; typed text through the parser). */
export function resolveAmount(choice: AmountChoice, parse: ParseAmount): ResolvedAmount {
  if (choice.kind === 'preset') return { state: 'ok', cents: choice.cents };
  if (choice.text.trim() === '') return { state: 'empty' };
  const r = parse(choice.text);
  return r.ok ? { state: 'ok', cents: r.cents } : { state: 'invalid', reason: r.reason };
}

interface Props {
  presets: number[];
  choice: AmountChoice;
  onChange: (choice: AmountChoice) => void;
  /** Message under the custom field (invalid text), already in words. */
  customError?: string | null;
  /** Id of a message describing a problem with the amount (over the limit…), for aria-describedby. */
  describedBy?: string;
}

/** Preset amount buttons plus a custom amount field. Typing in the field deselects the presets. */
export function AmountPicker({ presets, choice, onChange, customError, describedBy }: Props) {
  const { t, money } = useI18n();
  const customText = choice.kind === 'custom' ? choice.text : '';
  return (
    <fieldset class="stack">
      <legend>{t('confirm.amount')}</legend>
      <div class="chips" role="group" aria-label={t('confirm.presets')}>
        {presets.map((cents) => (
          <button
            type="button"
            key={cents}
            class="chip"
            data-testid={`preset-${cents}`}
            aria-pressed={choice.kind === 'preset' && choice.cents === cents}
            onClick={() => onChange({ kind: 'preset', cents })}
          >
            {money(cents)}
          </button>
        ))}
      </div>
      <TextField
        id="amount-input"
        label={t('confirm.customAmount')}
        error={customError}
        describedBy={describedBy}
        inputMode="decimal"
        autoComplete="off"
        placeholder={t('confirm.customPlaceholder')}
        value={customText}
        onValue={(text) => onChange({ kind: 'custom', text })}
      />
    </fieldset>
  );
}
