/**
 * Validation of the options page form (pure). Each field gets its own error; a valid form gives the settings to
 * save and the origin the wallet server URL needs a host permission for.
 */
import type { ParseAmount } from '../../components/AmountPicker';
import type { LanguageSetting } from '../../core/lang';
import { MAX_PRESET_CENTS, MAX_PRESETS, MIN_PRESET_CENTS, normalizeWalletUrl } from '../../utils/storage';
import type { PaymentMode } from '../../core/wallet-types';

export interface OptionsForm {
  walletUrl: string;
  language: LanguageSetting;
  defaultMode: PaymentMode;
  /** Preset amounts as typed (in the page's locale). */
  presets: string[];
}

export type PresetError = { code: 'parse'; reason: string } | { code: 'range' } | { code: 'duplicate' };

export interface OptionsErrors {
  walletUrl?: 'invalid';
  presetCount?: true;
  /** Per preset field, by index. */
  presets?: (PresetError | null)[];
}

export interface ValidOptions {
  walletUrl: string;
  /** The origin of the wallet server (`scheme://host:port`). */
  origin: string;
  language: LanguageSetting;
  defaultMode: PaymentMode;
  presets: number[];
}

/** The wallet URL normalized and its origin (for the host permission), or null (see normalizeWalletUrl). */
export function checkWalletUrl(input: string): { url: string; origin: string } | null {
  const url = normalizeWalletUrl(input);
  return url === null ? null : { url, origin: new URL(url).origin };
}

export function validateOptions(
  form: OptionsForm,
  parse: ParseAmount,
): { ok: true; value: ValidOptions } | { ok: false; errors: OptionsErrors } {
  const errors: OptionsErrors = {};
  const wallet = checkWalletUrl(form.walletUrl);
  if (!wallet) errors.walletUrl = 'invalid';

  const typed = form.presets.filter((p) => p.trim() !== '');
  if (typed.length < 1 || typed.length > MAX_PRESETS) errors.presetCount = true;
  const seen = new Set<number>();
  const cents: number[] = [];
  const presetErrors = form.presets.map((text): PresetError | null => {
    if (text.trim() === '') return null;
    const r = parse(text);
    if (!r.ok) return { code: 'parse', reason: r.reason };
    if (r.cents < MIN_PRESET_CENTS || r.cents > MAX_PRESET_CENTS) return { code: 'range' };
    if (seen.has(r.cents)) return { code: 'duplicate' };
    seen.add(r.cents);
    cents.push(r.cents);
    return null;
  });
  if (presetErrors.some(Boolean)) errors.presets = presetErrors;

  if (!wallet || errors.presetCount || errors.presets) return { ok: false, errors };
  return {
    ok: true,
    value: {
      walletUrl: wallet.url,
      origin: wallet.origin,
      language: form.language,
      defaultMode: form.defaultMode,
      presets: cents.sort((a, b) => a - b),
    },
  };
}
