import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_TWEET_CENTS,
  formatPaymentTweet,
  parsePaymentTweet,
  weightedLength,
  type PaymentTweetReason,
} from './payment-tweet';

const options = { botHandle: 'SMoneyfr', hashtag: 'envoyer' };
const parse = (text: string) => parsePaymentTweet(text, options);
const format = (amountCents: number, recipientHandle: string, message?: string) =>
  formatPaymentTweet({ ...options, amountCents, recipientHandle, message });

describe('parsePaymentTweet', () => {
  it('should pay 5000 cents to destinataire for the canonical S-money tweet', () => {
    expect(parse('@SMoneyfr #envoyer 50EUR @destinataire')).toEqual({
      ok: true,
      amountCents: 5000,
      recipientHandle: 'destinataire',
      message: '',
    });
  });

  it.each([
    ['@SMoneyfr #envoyer 50EUR @bob', 5000, 'bob', ''],
    ['@smoneyfr #ENVOYER 50eur @bob', 5000, 'bob', ''],
    ['@SMoneyfr #Envoyer 50€ @bob', 5000, 'bob', ''],
    ['@SMoneyfr #envoyer 12,50EUR @bob', 1250, 'bob', ''],
    ['@SMoneyfr #envoyer 12.50€ @bob', 1250, 'bob', ''],
    ['@SMoneyfr #envoyer 0,01EUR @bob', 1, 'bob', ''],
    ['@SMoneyfr #envoyer 100000EUR @bob', 10_000_000, 'bob', ''],
    ['@bob 50EUR #envoyer @SMoneyfr', 5000, 'bob', ''],
    ['Merci @SMoneyfr de #envoyer 50EUR à @bob pour le dîner 🍕', 5000, 'bob', 'Merci de à pour le dîner 🍕'],
    ['@SMoneyfr #envoyer 50EUR @bob merci\npour tout', 5000, 'bob', 'merci\npour tout'],
    ['@SMoneyfr #envoyer 50EUR, @bob!', 5000, 'bob', ', !'],
    ['  @SMoneyfr\t#envoyer\u00a050EUR\u202f@Bob_42  ', 5000, 'Bob_42', ''],
    ['@SMoneyfr #envoyer 50EUR @bob pour 2 pizzas et 3 bières', 5000, 'bob', 'pour 2 pizzas et 3 bières'],
    [
      '@SMoneyfr #envoyer 50EUR @bob 👨\u200d👩\u200d👧 ❤️ 1️⃣ 🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}',
      5000,
      'bob',
      '👨\u200d👩\u200d👧 ❤️ 1️⃣ 🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}',
    ],
    ['@SMoneyfr #envoyer 50EUR @bob contact: bob@example.com', 5000, 'bob', 'contact: bob@example.com'],
    ['@SMoneyfr #envoyer 50EUR @bob #merci', 5000, 'bob', '#merci'],
  ])('should parse %j', (text, amountCents, recipientHandle, message) => {
    expect(parse(text)).toEqual({ ok: true, amountCents, recipientHandle, message });
  });

  const rejections: [string, PaymentTweetReason, string?][] = [
    ['', 'empty'],
    ['   \n ', 'empty'],
    [`@SMoneyfr #envoyer 50EUR @bob ${'x'.repeat(260)}`, 'too_long'],
    ['@SMoneyfr #envoyer 50EUR @bob\u200b', 'hidden_characters'],
    ['@SMoneyfr #envoyer 50EUR @\u202eboB', 'hidden_characters'],
    ['@SMoneyfr #envoyer 50EUR @bob \u2067merci\u2069', 'hidden_characters'],
    ['@SMoneyfr #envoyer 5\u200d0EUR @bob', 'hidden_characters'],
    ['@SMoneyfr #envoyer 50EUR @bob\u{E0041}\u{E0042}', 'hidden_characters'],
    ['@SMoneyfr #envoyer 50EUR @bob \u00ad', 'hidden_characters'],
    ['@SMoneyfr #envoyer 50EUR ＠bob', 'non_ascii_symbol'],
    ['＠SMoneyfr #envoyer 50EUR @bob', 'non_ascii_symbol'],
    ['@SMoneyfr ＃envoyer 50EUR @bob', 'non_ascii_symbol'],
    ['#envoyer 50EUR @bob', 'no_bot_mention'],
    ['@SMoneyfr @smoneyfr #envoyer 50EUR @bob', 'several_bot_mentions'],
    ['@SMoneyfr envoyer 50EUR @bob', 'no_hashtag'],
    ['@SMoneyfr #envoyer2 50EUR @bob', 'no_hashtag'],
    ['@SMoneyfr #envoyer #Envoyer 50EUR @bob', 'several_hashtags'],
    ['@SMoneyfr #envoyer @bob', 'no_amount'],
    ['@SMoneyfr #envoyer @bob pour 2 pizzas et 3 bières', 'no_amount'],
    ['@SMoneyfr #envoyer 50EUR 20EUR @bob', 'several_amounts'],
    ['@SMoneyfr #envoyer 50 @bob', 'currency_missing', '50EUR'],
    ['@SMoneyfr #envoyer 20 euros @bob', 'currency_separated', '20EUR'],
    ['@SMoneyfr #envoyer 20 EUR @bob', 'currency_separated', '20EUR'],
    ['@SMoneyfr #envoyer 12.50 € @bob', 'currency_separated', '12,50EUR'],
    ['@SMoneyfr #envoyer 20euros @bob', 'currency_word', '20EUR'],
    ['@SMoneyfr #envoyer 20euro @bob', 'currency_word', '20EUR'],
    ['@SMoneyfr #envoyer €20 @bob', 'currency_before_amount', '20EUR'],
    ['@SMoneyfr #envoyer EUR20 @bob', 'currency_before_amount', '20EUR'],
    ['@SMoneyfr #envoyer € 20 @bob', 'currency_before_amount', '20EUR'],
    ['@SMoneyfr #envoyer 20$ @bob', 'currency_unsupported'],
    ['@SMoneyfr #envoyer 20USD @bob', 'currency_unsupported'],
    ['@SMoneyfr #envoyer 20 dollars @bob', 'currency_unsupported'],
    ['@SMoneyfr #envoyer 1 250EUR @bob', 'thousands_separator', '1250EUR'],
    ['@SMoneyfr #envoyer 1\u202f250EUR @bob', 'thousands_separator', '1250EUR'],
    ['@SMoneyfr #envoyer 1.250,00EUR @bob', 'thousands_separator', '1250EUR'],
    ['@SMoneyfr #envoyer 1,250EUR @bob', 'thousands_separator', '1250EUR'],
    ["@SMoneyfr #envoyer 1'250EUR @bob", 'thousands_separator', '1250EUR'],
    ['@SMoneyfr #envoyer 1 250 EUR @bob', 'thousands_separator'],
    ['@SMoneyfr #envoyer 12,5EUR @bob', 'amount_one_decimal', '12,50EUR'],
    ['@SMoneyfr #envoyer 12,505EUR @bob', 'thousands_separator', '12505EUR'],
    ['@SMoneyfr #envoyer 12,5055EUR @bob', 'amount_too_many_decimals'],
    ['@SMoneyfr #envoyer 0,125EUR @bob', 'amount_too_many_decimals'],
    ['@SMoneyfr #envoyer -50EUR @bob', 'amount_signed'],
    ['@SMoneyfr #envoyer +50EUR @bob', 'amount_signed'],
    ['@SMoneyfr #envoyer −50EUR @bob', 'amount_signed'],
    ['@SMoneyfr #envoyer 5e3EUR @bob', 'amount_exponent'],
    ['@SMoneyfr #envoyer ５０EUR @bob', 'non_ascii_digits'],
    ['@SMoneyfr #envoyer ٥٠EUR @bob', 'non_ascii_digits'],
    ['@SMoneyfr #envoyer ５０ EUR @bob', 'non_ascii_digits'],
    ['@SMoneyfr #envoyer ５０ @bob', 'non_ascii_digits'],
    ['@SMoneyfr #envoyer 0EUR @bob', 'amount_zero'],
    ['@SMoneyfr #envoyer 0,00€ @bob', 'amount_zero'],
    ['@SMoneyfr #envoyer 100000,01EUR @bob', 'amount_too_large'],
    ['@SMoneyfr #envoyer 99999999999999999999EUR @bob', 'amount_too_large'],
    ['@SMoneyfr #envoyer 50EUR50 @bob', 'amount_malformed'],
    ['@SMoneyfr #envoyer 50,EUR @bob', 'amount_malformed'],
    ['@SMoneyfr #envoyer 5\u03010EUR @bob', 'amount_malformed'],
    ['@SMoneyfr #envoyer 5\ufe0f0EUR @bob', 'amount_malformed'],
    ['@SMoneyfr #envoyer 50EUR @thisiswaytoolong1', 'invalid_handle'],
    ['@SMoneyfr #envoyer 50EUR @ａｌｉｃｅ', 'invalid_handle'],
    ['@SM\u043eneyfr #envoyer 50EUR @bob', 'invalid_handle'],
    ['@SMoneyfr #envoyer 50EUR @bob@alice', 'invalid_handle'],
    ['@SMoneyfr #envoyer 50EUR @bobé', 'invalid_handle'],
    ['@SMoneyfr #envoyer 50EUR', 'no_recipient'],
    ['@SMoneyfr #envoyer 50EUR @bob @alice', 'several_recipients'],
    ['@SMoneyfr #envoyer 50EUR @bob (cc @alice)', 'several_recipients'],
  ];
  it.each(rejections)('should reject %j with %s', (text, reason, hint) => {
    const result = parse(text);
    expect(result).toEqual(hint === undefined ? { ok: false, reason } : { ok: false, reason, hint });
  });

  it('should never throw, whatever the text (unicode, RTL, fullwidth, zero-width)', () => {
    const tricky = [
      '@',
      '＠',
      '#',
      '＃',
      'SMoneyfr',
      'envoyer',
      'EUR',
      '€',
      'euros',
      '50',
      '12,50',
      '1.250',
      ',',
      '.',
      ' ',
      '\u00a0',
      '\u202f',
      '\n',
      '\u200b',
      '\u200d',
      '\u200e',
      '\u200f',
      '\u202e',
      '\u2066',
      '\ufe0f',
      '\u20e3',
      '\u0301',
      '５',
      '٥',
      '-',
      '+',
      'e3',
      '😷',
      '🏽',
      'bob',
      '$',
      '\ud800',
      '\udc00',
      '\u{E0041}',
    ];
    const pieces = fc.oneof(
      fc.constantFrom(...tricky),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
      fc.string({ unit: 'binary', maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 20 }), (parts) => {
        const result = parse(parts.join(''));
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('formatPaymentTweet', () => {
  it('should write the canonical tweet for 1250 cents to alice', () => {
    expect(format(1250, 'alice')).toEqual({
      ok: true,
      text: '@SMoneyfr #envoyer 12,50EUR @alice',
      weightedLength: 34,
    });
  });

  it('should append a trimmed message after one space', () => {
    expect(format(5000, 'bob', '  merci pour le café ☕ ')).toMatchObject({
      ok: true,
      text: '@SMoneyfr #envoyer 50EUR @bob merci pour le café ☕',
    });
  });

  const refusals: [Parameters<typeof formatPaymentTweet>[0], PaymentTweetReason][] = [
    [{ ...options, botHandle: 'S-money', amountCents: 100, recipientHandle: 'bob' }, 'invalid_bot_handle'],
    [{ ...options, hashtag: 'en voyer', amountCents: 100, recipientHandle: 'bob' }, 'invalid_hashtag'],
    [{ ...options, hashtag: '#envoyer', amountCents: 100, recipientHandle: 'bob' }, 'invalid_hashtag'],
    [{ ...options, amountCents: 100, recipientHandle: '@bob' }, 'invalid_handle'],
    [{ ...options, amountCents: 100, recipientHandle: 'thisiswaytoolong1' }, 'invalid_handle'],
    [{ ...options, amountCents: 100, recipientHandle: 'ａｌｉｃｅ' }, 'invalid_handle'],
    [{ ...options, amountCents: 100, recipientHandle: 'smoneyFR' }, 'recipient_is_bot'],
    [{ ...options, amountCents: 12.5, recipientHandle: 'bob' }, 'amount_not_integer'],
    [{ ...options, amountCents: Number.NaN, recipientHandle: 'bob' }, 'amount_not_integer'],
    [{ ...options, amountCents: 0, recipientHandle: 'bob' }, 'amount_zero'],
    [{ ...options, amountCents: -100, recipientHandle: 'bob' }, 'amount_zero'],
    [{ ...options, amountCents: MAX_TWEET_CENTS + 1, recipientHandle: 'bob' }, 'amount_too_large'],
    [
      { ...options, amountCents: 100, recipientHandle: 'bob', message: 'merci @alice' },
      'message_has_mention',
    ],
    [
      { ...options, amountCents: 100, recipientHandle: 'bob', message: 'cc @SMoneyfr' },
      'message_has_mention',
    ],
    [
      { ...options, amountCents: 100, recipientHandle: 'bob', message: 'merci ＠alice' },
      'message_has_mention',
    ],
    [
      { ...options, amountCents: 100, recipientHandle: 'bob', message: 'encore #envoyer' },
      'message_has_hashtag',
    ],
    [
      { ...options, amountCents: 100, recipientHandle: 'bob', message: 'et ＃Envoyer' },
      'message_has_hashtag',
    ],
    [{ ...options, amountCents: 100, recipientHandle: 'bob', message: 'plus 5EUR' }, 'message_has_amount'],
    [
      { ...options, amountCents: 100, recipientHandle: 'bob', message: 'soit 20 euros' },
      'message_has_amount',
    ],
    [{ ...options, amountCents: 100, recipientHandle: 'bob', message: '€ 5 de plus' }, 'message_has_amount'],
    [{ ...options, amountCents: 100, recipientHandle: 'bob', message: '12,50€' }, 'message_has_amount'],
    [
      { ...options, amountCents: 100, recipientHandle: 'bob', message: 'voir https://evil.example' },
      'message_has_link',
    ],
    [{ ...options, amountCents: 100, recipientHandle: 'bob', message: 'voir evil.fr' }, 'message_has_link'],
    [{ ...options, amountCents: 100, recipientHandle: 'bob', message: 'a\u202eb' }, 'hidden_characters'],
    [{ ...options, amountCents: 100, recipientHandle: 'bob', message: 'a\u200bb' }, 'hidden_characters'],
    [{ ...options, amountCents: 100, recipientHandle: 'bob', message: 'x'.repeat(260) }, 'too_long'],
    [{ ...options, amountCents: 100, recipientHandle: 'bob', message: '故'.repeat(126) }, 'too_long'],
  ];
  it.each(refusals)('should refuse %j with %s', (input, reason) => {
    expect(formatPaymentTweet(input)).toEqual({ ok: false, reason });
  });

  it('should accept a message that fills exactly 280 weighted characters', () => {
    const head = '@SMoneyfr #envoyer 50EUR @bob ';
    const result = format(5000, 'bob', 'x'.repeat(280 - head.length));
    expect(result).toMatchObject({ ok: true, weightedLength: 280 });
  });

  it('should be read back identically by the parser (property)', () => {
    const handle = fc.stringMatching(/^[A-Za-z0-9_]{1,15}$/).filter((h) => h.toLowerCase() !== 'smoneyfr');
    const words = fc.constantFrom(
      'merci',
      'pour',
      'le',
      'café',
      '☕',
      '2',
      'pizzas',
      'à',
      'demain',
      '!',
      'déjà',
      '👨\u200d👩\u200d👧',
      'Ж',
      '故',
      'ש',
      '\n',
    );
    const message = fc.oneof(
      fc.constant(undefined),
      fc.array(words, { maxLength: 12 }).map((w) => w.join(' ')),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_TWEET_CENTS }),
        handle,
        message,
        (amountCents, recipientHandle, msg) => {
          const formatted = format(amountCents, recipientHandle, msg);
          expect(formatted.ok).toBe(true);
          if (!formatted.ok) return;
          expect(formatted.weightedLength).toBe(weightedLength(formatted.text));
          expect(parse(formatted.text)).toEqual({
            ok: true,
            amountCents,
            recipientHandle,
            message: (msg ?? '').trim(),
          });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('should never produce a tweet the parser reads differently (property over arbitrary messages)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_TWEET_CENTS }),
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        (cents, msg) => {
          const formatted = format(cents, 'bob', msg);
          if (!formatted.ok) return;
          expect(parse(formatted.text)).toEqual({
            ok: true,
            amountCents: cents,
            recipientHandle: 'bob',
            message: msg.trim(),
          });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
