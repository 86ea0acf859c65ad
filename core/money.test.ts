import fc from 'fast-check';
import type { Lang } from './lang';
import { describe, expect, it } from 'vitest';
import {
  formatAmount,
  formatTweetAmount,
  formatTypedAmount,
  isValidCents,
  parseAmount,
  type ParseAmountReason,
} from './money';

const NBSP = '\u00a0';
const NNBSP = '\u202f';
const MAX = Number.MAX_SAFE_INTEGER;

describe('parseAmount', () => {
  it.each<[string, number]>([
    ['12,50', 1250],
    ['12.50', 1250],
    ['12,5', 1250],
    ['12', 1200],
    ['0,5', 50],
    ['.50', 50],
    ['0012,50', 1250],
    ['1 250', 125000],
    [`1${NBSP}250`, 125000],
    [`1${NNBSP}250`, 125000],
    ['1\u2009250', 125000],
    ['1 250,50', 125050],
    [`1${NNBSP}250,50${NBSP}€`, 125050],
    ['1.250,50', 125050],
    ['1 000 000', 100000000],
    ['50 €', 5000],
    ['50€', 5000],
    ['€50', 5000],
    ['50EUR', 5000],
    ['eur 50', 5000],
    ['  12,50  ', 1250],
    ['90071992547409,91', MAX],
  ])('should read fr %j as %i cents', (input, cents) => {
    expect(parseAmount(input, 'fr')).toEqual({ ok: true, cents });
  });

  it.each<[string, number]>([
    ['1,250.00', 125000],
    ['12.50', 1250],
    ['12.5', 1250],
    ['12,50', 1250],
    ['1,25', 125],
    ['1,250', 125000],
    ['1,250,000.5', 125000050],
    ['1 250.00', 125000],
    [`1${NBSP}250.00`, 125000],
    ['€12.50', 1250],
    ['EUR 7', 700],
    ['12.50 €', 1250],
  ])('should read en %j as %i cents', (input, cents) => {
    expect(parseAmount(input, 'en')).toEqual({ ok: true, cents });
  });

  it.each<[string, Lang, ParseAmountReason]>([
    ['', 'fr', 'empty'],
    ['   ', 'en', 'empty'],
    [NBSP, 'fr', 'empty'],
    ['-5', 'fr', 'negative'],
    ['−5', 'fr', 'negative'],
    ['-12,50 €', 'en', 'negative'],
    ['0', 'fr', 'zero'],
    ['0,00 €', 'fr', 'zero'],
    ['0.00', 'en', 'zero'],
    ['1e3', 'fr', 'exponent'],
    ['1.5E2', 'en', 'exponent'],
    ['12,505', 'fr', 'too_many_decimals'],
    ['12.505', 'en', 'too_many_decimals'],
    ['12.505', 'fr', 'too_many_decimals'],
    // In fr a dot is not a thousands separator: "1.250" is refused rather than guessed as 1.25 € or 1 250 €.
    ['1.250', 'fr', 'too_many_decimals'],
    ['1,250.00', 'fr', 'misplaced_separator'],
    ['1.250,50', 'en', 'misplaced_separator'],
    ['12,', 'fr', 'misplaced_separator'],
    ['1 25,0', 'fr', 'misplaced_separator'],
    ['12 50', 'fr', 'misplaced_separator'],
    ['1.250.5', 'fr', 'misplaced_separator'],
    ['12.5.0', 'en', 'misplaced_separator'],
    ['1,2345', 'en', 'misplaced_separator'],
    ['５０', 'fr', 'non_ascii_digits'],
    ['٥٠', 'en', 'non_ascii_digits'],
    ['abc', 'fr', 'not_a_number'],
    ['12abc', 'fr', 'not_a_number'],
    ['$12', 'en', 'not_a_number'],
    ['+5', 'fr', 'not_a_number'],
    ['50€€', 'fr', 'not_a_number'],
    ['Infinity', 'en', 'not_a_number'],
    ['NaN', 'en', 'not_a_number'],
    [',', 'fr', 'not_a_number'],
    ['90071992547409,92', 'fr', 'too_large'],
    ['99999999999999999999', 'en', 'too_large'],
    ['1'.repeat(400), 'fr', 'too_large'],
  ])('should refuse %j in %s as %s', (input, locale, reason) => {
    expect(parseAmount(input, locale)).toEqual({ ok: false, reason });
  });

  it('should never throw and only return safe positive cents, whatever is typed', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc.stringMatching(/^[-0-9., €eurEUR\u00a0]{0,20}$/),
        ),
        fc.constantFrom<Lang>('fr', 'en'),
        (input, locale) => {
          const result = parseAmount(input, locale);
          if (result.ok) expect(isValidCents(result.cents) && result.cents > 0).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('formatAmount', () => {
  it.each<[number, string, string]>([
    [0, `0,00${NBSP}€`, '€0.00'],
    [1, `0,01${NBSP}€`, '€0.01'],
    [100, `1,00${NBSP}€`, '€1.00'],
    [1250, `12,50${NBSP}€`, '€12.50'],
    [125050, `1${NNBSP}250,50${NBSP}€`, '€1,250.50'],
    [MAX, `90${NNBSP}071${NNBSP}992${NNBSP}547${NNBSP}409,91${NBSP}€`, '€90,071,992,547,409.91'],
  ])('should display %i cents as %j in fr and %j in en', (cents, fr, en) => {
    expect(formatAmount(cents, 'fr')).toBe(fr);
    expect(formatAmount(cents, 'en')).toBe(en);
  });

  it('should put a minus sign before a negative amount', () => {
    expect(formatAmount(-1250, 'en')).toBe('−€12.50');
    expect(formatAmount(-1, 'fr')).toBe('−0,01\u00a0€');
  });

  it.each([1.5, -1.5, Number.NaN, Infinity, -Infinity, MAX + 1])(
    'should throw a RangeError for %s cents',
    (cents) => {
      expect(() => formatAmount(cents, 'fr')).toThrow(RangeError);
    },
  );

  it('should display what parseAmount reads back, in both languages', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX }), fc.constantFrom<Lang>('fr', 'en'), (cents, l) => {
        expect(parseAmount(formatAmount(cents, l), l)).toEqual({ ok: true, cents });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatTweetAmount', () => {
  it.each<[number, string]>([
    [1, '0,01'],
    [50, '0,50'],
    [100, '1'],
    [1250, '12,50'],
    [5000, '50'],
    [125000, '1250'],
    [10000000, '100000'],
    [MAX, '90071992547409,91'],
  ])('should write %i cents as %j', (cents, text) => {
    expect(formatTweetAmount(cents)).toBe(text);
  });

  it.each([-1, 0.5, Number.NaN, MAX + 1])('should throw a RangeError for %s cents', (cents) => {
    expect(() => formatTweetAmount(cents)).toThrow(RangeError);
  });

  it('should write ASCII that parseAmount reads back as the same cents (fr and en)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX }), fc.constantFrom<Lang>('fr', 'en'), (cents, l) => {
        const text = formatTweetAmount(cents);
        expect(text).toMatch(/^(?:0|[1-9]\d*)(?:,\d\d)?$/);
        expect(parseAmount(text, l)).toEqual({ ok: true, cents });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatTypedAmount', () => {
  it.each([
    [200, 'fr', '2'],
    [1250, 'fr', '12,50'],
    [1205, 'en', '12.05'],
    [5, 'en', '0.05'],
  ] as const)('should write %i cents in %s as %j, which parseAmount reads back', (cents, lang, text) => {
    expect(formatTypedAmount(cents, lang)).toBe(text);
    expect(parseAmount(text, lang)).toEqual({ ok: true, cents });
  });
});
