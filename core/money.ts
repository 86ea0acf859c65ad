/**
 * Money is integer cents, everywhere. Amounts typed by a person are parsed with string arithmetic (never
 * floats); display goes through Intl with a decimal string; tweet amounts are plain ASCII.
 */

import { LOCALES, type Lang } from './lang';

/** Why {@link parseAmount} refused its input. */
export type ParseAmountReason =
  | 'empty' // nothing but spaces
  | 'negative' // "-5", "−5"
  | 'zero' // "0", "0,00 €"
  | 'exponent' // "1e3"
  | 'too_many_decimals' // "12,505"
  | 'misplaced_separator' // "1 25,0", "12,", "1.250.5", "1,250.00" in fr
  | 'non_ascii_digits' // "５０", "٥٠"
  | 'not_a_number' // anything else: "abc", "12abc", "$12"
  | 'too_large'; // more than Number.MAX_SAFE_INTEGER cents

export type ParseAmountResult = { ok: true; cents: number } | { ok: false; reason: ParseAmountReason };

/** True for a safe, non-negative integer: the only shape a money amount (in cents) may have. */
export function isValidCents(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Any Unicode space (incl. NBSP U+00A0, NNBSP U+202F, thin U+2009) reads as one group separator. */
const SPACES = /\s+/g;
const MAX_CENTS = String(Number.MAX_SAFE_INTEGER);

/**
 * Parses what a person types in the confirm window into cents.
 * Accepts "12,50", "12.50", "12,5", ".50", "1 250" (space, NBSP or NNBSP groups), "1.250,50" (fr),
 * "1,250.00" (en), an optional "€"/"EUR" before or after. In `en`, a lone "," followed by 1–2 digits is
 * still read as decimals ("12,50"); in `fr`, a lone "." followed by 1–2 digits likewise ("12.50").
 */
export function parseAmount(input: string, locale: Lang): ParseAmountResult {
  let s = String(input).replace(SPACES, ' ').trim();
  if (s === '') return fail('empty');
  s = s.replace(/^(?:€|eur)\s?|\s?(?:€|eur)$/gi, '').trim();
  if (/^[-−‒–—﹣－]/.test(s)) return fail('negative');
  if (/\p{Nd}/u.test(s.replace(/[0-9]/g, ''))) return fail('non_ascii_digits');
  if (/^\d*[.,]?\d+e[+-]?\d+$/i.test(s)) return fail('exponent');
  if (!/^[0-9., ]+$/.test(s) || !/\d/.test(s)) return fail('not_a_number');

  const dec = locale === 'fr' ? ',' : '.';
  const grp = locale === 'fr' ? '.' : ',';
  // The other separator alone is read as decimals: "12,50" in en; "12.50" (and "12.505") in fr, where a
  // dot is not a usual thousands separator. "1,250" in en stays 1250.
  const lone = !s.includes(dec) && s.split(grp).length === 2;
  if (lone && (locale === 'fr' || /,\d{1,2}$/.test(s))) s = s.replace(grp, dec);
  const parts = s.split(dec);
  if (parts.length > 2) return fail('misplaced_separator');
  const [intRaw = '', frac = ''] = parts;
  if (parts.length === 2 && !/^\d+$/.test(frac)) return fail('misplaced_separator');
  if (frac.length > 2) return fail('too_many_decimals');

  let int = intRaw;
  if (/[^0-9]/.test(int)) {
    const sep = int.includes(' ') ? ' ' : grp;
    if (!new RegExp(`^\\d{1,3}(?:\\${sep}\\d{3})+$`).test(int)) return fail('misplaced_separator');
    int = int.split(sep).join('');
  }
  const digits = (int + frac.padEnd(2, '0')).replace(/^0+/, '');
  if (digits === '') return fail('zero');
  if (digits.length > MAX_CENTS.length || (digits.length === MAX_CENTS.length && digits > MAX_CENTS)) {
    return fail('too_large');
  }
  return { ok: true, cents: Number(digits) };
}

function fail(reason: ParseAmountReason): ParseAmountResult {
  return { ok: false, reason };
}

/** Splits cents into ASCII integer and 2-digit fraction strings, without floating point. */
function splitCents(cents: number): { int: string; frac: string } {
  if (!isValidCents(cents)) throw new RangeError(`not a valid amount in cents: ${String(cents)}`);
  const s = String(cents).padStart(3, '0');
  return { int: s.slice(0, -2), frac: s.slice(-2) };
}

/**
 * The one display form of an amount, through Intl ("12,50 €" in fr, "€12.50" in en; a negative amount gets a
 * minus sign: "−€12.50"). Not for tweets: it emits NNBSP/NBSP.
 */
export function formatAmount(cents: number, locale: Lang): string {
  if (cents < 0) return `−${formatAmount(-cents, locale)}`;
  const { int, frac } = splitCents(cents);
  const nf = new Intl.NumberFormat(LOCALES[locale], {
    style: 'currency',
    currency: 'EUR',
  });
  // A decimal string keeps Intl exact (Intl.NumberFormat v3); no float is ever made from money.
  return nf.format(`${int}.${frac}` as unknown as number);
}

/**
 * An amount as a person types it, and as {@link parseAmount} reads it back: "50" for whole euros, "12,50" (fr)
 * or "12.50" (en) otherwise. ASCII only.
 */
export function formatTypedAmount(cents: number, locale: Lang): string {
  const { int, frac } = splitCents(cents);
  return frac === '00' ? int : `${int}${locale === 'fr' ? ',' : '.'}${frac}`;
}

/** The amount as written in a payment tweet: "50" for whole euros, "12,50" otherwise (a French comma). */
export function formatTweetAmount(cents: number): string {
  return formatTypedAmount(cents, 'fr');
}
