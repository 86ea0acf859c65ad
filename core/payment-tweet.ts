/**
 * The payment tweet grammar: `@<bot> #<verb> <amount>EUR @<recipient>[ message]`.
 * Pure and shared by the extension (confirm page) and the wallet server (incoming tweets).
 *
 * Unicode policy — nothing is stripped or normalised silently; suspicious text is rejected:
 * - bidi controls (LRM, RLM, ALM, LRE…RLO, LRI…PDI), zero-width and other invisible format characters,
 *   stray variation selectors, tag characters outside a flag sequence and C0/C1 controls other than
 *   tab and newlines → `hidden_characters` (ZWJ and VS16 inside emoji sequences are allowed);
 * - fullwidth ＠ / ＃ (which X links like @ / #) → `non_ascii_symbol`;
 * - non-ASCII digits in an amount (５０EUR, ٥٠EUR) → `non_ascii_digits`;
 * - an @ followed by anything but an ASCII handle (@ａｌｉｃｅ, @SMоneyfr with a Cyrillic о) →
 *   `invalid_handle`.
 */
import { formatTweetAmount } from './money';
import { weightedLength } from './weighted-length';
import { HANDLE_RE } from './x-ids';

export { weightedLength };

/** X's limit, in weighted characters. */
export const MAX_WEIGHTED_LENGTH = 280;
/** Amounts a payment tweet may carry: 0,01 € to 100 000 €. */
export const MIN_TWEET_CENTS = 1;
export const MAX_TWEET_CENTS = 10_000_000;

/** Why a text is not a payment tweet (parse) or cannot become one (format). */
export type PaymentTweetReason =
  // whole text
  | 'empty'
  | 'too_long'
  | 'hidden_characters'
  | 'non_ascii_symbol'
  // bot mention and hashtag
  | 'no_bot_mention'
  | 'several_bot_mentions'
  | 'no_hashtag'
  | 'several_hashtags'
  // amount
  | 'no_amount'
  | 'several_amounts'
  | 'currency_missing'
  | 'currency_separated'
  | 'currency_word'
  | 'currency_before_amount'
  | 'currency_unsupported'
  | 'thousands_separator'
  | 'amount_one_decimal'
  | 'amount_too_many_decimals'
  | 'amount_signed'
  | 'amount_exponent'
  | 'non_ascii_digits'
  | 'amount_zero'
  | 'amount_too_large'
  | 'amount_malformed'
  // recipient
  | 'invalid_handle'
  | 'no_recipient'
  | 'several_recipients'
  // formatter only
  | 'invalid_bot_handle'
  | 'invalid_hashtag'
  | 'amount_not_integer'
  | 'recipient_is_bot'
  | 'message_has_mention'
  | 'message_has_hashtag'
  | 'message_has_amount'
  | 'message_has_link';

export interface PaymentTweetOptions {
  botHandle: string;
  hashtag: string;
}

export interface FormatPaymentTweetInput extends PaymentTweetOptions {
  amountCents: number;
  recipientHandle: string;
  message?: string;
}

export type FormatPaymentTweetResult =
  { ok: true; text: string; weightedLength: number } | { ok: false; reason: PaymentTweetReason };

export type ParsePaymentTweetResult =
  | { ok: true; amountCents: number; recipientHandle: string; message: string }
  | { ok: false; reason: PaymentTweetReason; hint?: string };

const VERB = /^[A-Za-z][A-Za-z0-9_]{0,49}$/;

/**
 * Invisible or reordering code points, as inclusive [first, last] ranges: C0/C1 controls (not tab, LF, CR), soft
 * hyphen, combining grapheme joiner, Arabic letter mark, Hangul fillers, Khmer/Mongolian invisibles, zero-width
 * space/joiners, bidi marks, embeddings, overrides and isolates, word joiner and invisible operators, variation
 * selectors, BOM, specials, musical invisible formatters and tags. ZWJ, VS16 and tags are legitimate inside the
 * emoji sequences of ALLOWED_SEQUENCES, which are removed before this table is applied. A table rather than a
 * regex character class: a class listing joiners and variation selectors reads as "combined characters".
 */
const HIDDEN_RANGES: readonly (readonly [number, number])[] = [
  [0x00, 0x08],
  [0x0b, 0x0c],
  [0x0e, 0x1f],
  [0x7f, 0x9f],
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfffb],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe0fff],
];
const ALLOWED_SEQUENCES =
  /\p{Extended_Pictographic}\ufe0f?\p{Emoji_Modifier}?(?:\u200d\p{Extended_Pictographic}\ufe0f?\p{Emoji_Modifier}?)+|\u{1f3f4}[\u{e0020}-\u{e007e}]+\u{e007f}|\p{Emoji}\ufe0f\u20e3?/gu;

function hasHiddenCharacters(text: string): boolean {
  for (const char of text.replace(ALLOWED_SEQUENCES, '')) {
    const cp = char.codePointAt(0) ?? 0;
    if (HIDDEN_RANGES.some(([first, last]) => cp >= first && cp <= last)) return true;
  }
  return false;
}

// A mention as X sees it: @ or ＠ not preceded by an ASCII word character or one of !#$%&*@＠.
const MENTION = /(?<![A-Za-z0-9_!#$%&*@＠])([@＠])([\p{L}\p{N}\p{M}_]*)/gu;
// A hashtag as X sees it: # or ＃ not preceded by a letter, digit, mark, _ or &.
const HASHTAG = /(?<![\p{L}\p{N}\p{M}_&])([#＃])([\p{L}\p{N}\p{M}_]+)/gu;

type Span = { start: number; end: number };
type Amount = Span & { cents: number };
type Failure = { ok: false; reason: PaymentTweetReason; hint?: string };

const fail = (reason: PaymentTweetReason, hint?: string): Failure =>
  hint === undefined ? { ok: false, reason } : { ok: false, reason, hint };

/** Parses a payment tweet (the whole given text). Never throws. */
export function parsePaymentTweet(text: string, options: PaymentTweetOptions): ParsePaymentTweetResult {
  try {
    return parse(text, options);
  } catch {
    // Unreachable by design (fuzzed); a parser on the payment path must still never throw.
    return fail('amount_malformed');
  }
}

function parse(text: string, { botHandle, hashtag }: PaymentTweetOptions): ParsePaymentTweetResult {
  if (typeof text !== 'string' || text.trim() === '') return fail('empty');
  if (text.length > 4 * MAX_WEIGHTED_LENGTH || weightedLength(text) > MAX_WEIGHTED_LENGTH)
    return fail('too_long');
  if (hasHiddenCharacters(text)) return fail('hidden_characters');

  const bot: Span[] = [];
  const recipients: (Span & { handle: string })[] = [];
  for (const m of text.matchAll(MENTION)) {
    const [all, sign, name = ''] = m;
    if (name === '') continue; // a lone "@" is not a mention
    if (sign !== '@') return fail('non_ascii_symbol');
    if (!HANDLE_RE.test(name) || /^[@＠]/u.test(text.slice(m.index + all.length)))
      return fail('invalid_handle');
    const span = { start: m.index, end: m.index + all.length };
    if (name.toLowerCase() === botHandle.toLowerCase()) bot.push(span);
    else recipients.push({ ...span, handle: name });
  }
  const verbs: Span[] = [];
  for (const m of text.matchAll(HASHTAG)) {
    const [all, sign, name = ''] = m;
    if (!/^[A-Za-z0-9_]+$/.test(name) || name.toLowerCase() !== hashtag.toLowerCase()) continue;
    if (sign !== '#') return fail('non_ascii_symbol');
    verbs.push({ start: m.index, end: m.index + all.length });
  }
  if (bot.length === 0) return fail('no_bot_mention');
  if (bot.length > 1) return fail('several_bot_mentions');
  if (verbs.length === 0) return fail('no_hashtag');
  if (verbs.length > 1) return fail('several_hashtags');

  const amount = findAmount(text);
  if (!amount.ok) return amount;
  const [recipient, ...others] = recipients;
  if (recipient === undefined) return fail('no_recipient');
  if (others.length > 0) return fail('several_recipients');

  const spans = [bot[0], verbs[0], amount.amount, recipient].sort(
    (a, b) => (a?.start ?? 0) - (b?.start ?? 0),
  );
  let message = '';
  let from = 0;
  for (const span of spans) {
    if (span === undefined) continue;
    message = join(message, text.slice(from, span.start));
    from = span.end;
  }
  message = join(message, text.slice(from));
  return { ok: true, amountCents: amount.amount.cents, recipientHandle: recipient.handle, message };
}

/** Joins the message pieces left between the tokens with one space, keeping their inner whitespace. */
function join(a: string, b: string): string {
  const piece = b.trim();
  if (piece === '') return a;
  return a === '' ? piece : `${a} ${piece}`;
}

// ---------------------------------------------------------------------------------------------------
// Amounts

const EUROS = /^(?:eur|euro|euros|€)$/i;
const OTHER_CURRENCY = /^(?:\$|£|¥|₿|usd|gbp|chf|jpy|cad|btc|dollars?|livres?)$/i;
const SIGNS = '+\\-−±‒–—﹢﹣＋－';
// sign? · currency before? · number (digits and separators) · exponent? · currency after?
const AMOUNT_LIKE = new RegExp(
  `^([${SIGNS}]?)(€|\\$|£|¥|₿|[a-z]{3,7})?(\\p{Nd}(?:[\\p{Nd}.,'’_]*\\p{Nd})?[.,]?)((?:e[+\\-]?\\p{Nd}+)?)(€|\\$|£|¥|₿|[a-z]{3,7})?$`,
  'iu',
);
const BARE_NUMBER = /^\p{Nd}(?:[\p{Nd}.,'’_]*\p{Nd})?$/u;
const OPENING = /^[(["'«“‘¿¡]+/u;
const CLOSING = /[)\]"'»”’.,;:!?…]+$/u;

type Token = Span & { core: string };
type AmountResult = { ok: true; amount: Amount } | Failure;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/\S+/gu)) {
    const lead = OPENING.exec(m[0])?.[0].length ?? 0;
    const core = m[0].slice(lead).replace(CLOSING, '');
    tokens.push({ start: m.index + lead, end: m.index + lead + core.length, core });
  }
  return tokens;
}

/** Cents of an ASCII "50" / "12,50" / "12.50" number, or undefined when not of that form. */
function canonicalCents(num: string): number | undefined {
  const m = /^(\d+)(?:[.,](\d\d))?$/.exec(num);
  if (!m) return undefined;
  const digits = `${m[1]}${m[2] ?? '00'}`.replace(/^0+/, '');
  return digits.length > 9 ? MAX_TWEET_CENTS + 1 : Number(digits || '0');
}

const hintFor = (num: string): string | undefined => {
  const cents = canonicalCents(num);
  return cents === undefined || cents < MIN_TWEET_CENTS || cents > MAX_TWEET_CENTS
    ? undefined
    : `${formatTweetAmount(cents)}EUR`;
};

/** Why an amount-like token is not a valid amount (or its cents when it is). */
function classify(core: string): { cents: number } | Failure | undefined {
  const m = AMOUNT_LIKE.exec(core);
  if (!m) {
    // Digits and a currency mixed with anything else ("5\u03010EUR", "#50EUR", "50EUR50").
    return /\p{Nd}/u.test(core) && /€|eur|\$|£/iu.test(core) ? fail('amount_malformed') : undefined;
  }
  const [, sign = '', before = '', num = '', exponent = '', after = ''] = m;
  const isCurrency = (c: string) => EUROS.test(c) || OTHER_CURRENCY.test(c);
  if ((before && !isCurrency(before)) || (after && !isCurrency(after))) return undefined;
  if (!before && !after) return undefined; // a bare number: message text, diagnosed by the caller
  if (/[^0-9.,'’_]/.test(num)) return fail('non_ascii_digits');
  if (sign) return fail('amount_signed');
  if (exponent) return fail('amount_exponent');
  if (OTHER_CURRENCY.test(before) || OTHER_CURRENCY.test(after)) return fail('currency_unsupported');
  if (before) return fail('currency_before_amount', after ? undefined : hintFor(num));
  if (!/^(?:eur|€)$/i.test(after)) return fail('currency_word', hintFor(num));
  return numberCents(num);
}

/** Cents of a number written in a payment tweet, or the precise reason it is refused. */
function numberCents(num: string): { cents: number } | Failure {
  if (/^\d+[.,]\d$/.test(num)) return fail('amount_one_decimal', hintFor(`${num}0`));
  if (/['’_]/.test(num) || /[.,].*[.,]/.test(num) || /^[1-9]\d{0,2}[.,]\d{3}$/.test(num)) {
    const plain = num.replace(
      /^(\d{1,3}(?:([.,'’_])\d{3})+)(?:(?!\2)[.,](\d\d))?$/,
      (_, int: string, sep: string, dec?: string) => `${int.split(sep).join('')}${dec ? `,${dec}` : ''}`,
    );
    return fail('thousands_separator', plain === num ? undefined : hintFor(plain));
  }
  if (/^\d+[.,]\d{3,}$/.test(num)) return fail('amount_too_many_decimals');
  const cents = canonicalCents(num);
  if (cents === undefined) return fail('amount_malformed');
  if (cents < MIN_TWEET_CENTS) return fail('amount_zero');
  if (cents > MAX_TWEET_CENTS) return fail('amount_too_large');
  return { cents };
}

function findAmount(text: string): AmountResult {
  const tokens = tokenize(text).filter((t) => !/^[@＠#＃]/u.test(t.core) && t.core !== '');
  const amounts: Amount[] = [];
  const bare: Token[] = [];
  for (const [i, token] of tokens.entries()) {
    const previous = tokens[i - 1];
    const next = tokens[i + 1];
    const afterNumber = previous !== undefined && BARE_NUMBER.test(previous.core);
    if (EUROS.test(token.core) || OTHER_CURRENCY.test(token.core)) {
      // "20 euros", "12,50 €" (a group of numbers before it: "1 250 €") or "€ 20".
      if (afterNumber) {
        const grouped = tokens[i - 2] !== undefined && BARE_NUMBER.test(tokens[i - 2]?.core ?? '');
        if (/[^0-9.,'’_]/.test(previous.core)) return fail('non_ascii_digits');
        if (OTHER_CURRENCY.test(token.core)) return fail('currency_unsupported');
        if (grouped) return fail('thousands_separator');
        const checked = numberCents(previous.core);
        return 'cents' in checked ? fail('currency_separated', hintFor(previous.core)) : checked;
      }
      if (next !== undefined && BARE_NUMBER.test(next.core)) {
        return fail(
          OTHER_CURRENCY.test(token.core) ? 'currency_unsupported' : 'currency_before_amount',
          hintFor(next.core),
        );
      }
      continue;
    }
    const result = classify(token.core);
    if (result === undefined) {
      if (BARE_NUMBER.test(token.core)) bare.push(token);
      continue;
    }
    if (!('cents' in result)) return result;
    if (afterNumber)
      return fail('thousands_separator', hintFor(`${previous.core}${token.core.replace(/(?:eur|€)$/i, '')}`));
    amounts.push({ start: token.start, end: token.end, cents: result.cents });
  }
  const [amount, ...others] = amounts;
  if (others.length > 0) return fail('several_amounts');
  if (amount !== undefined) return { ok: true, amount };
  const [only, ...more] = bare;
  if (only !== undefined && more.length === 0) {
    if (/[^0-9.,]/.test(only.core)) return fail('non_ascii_digits');
    return fail('currency_missing', hintFor(only.core));
  }
  return fail('no_amount');
}

// ---------------------------------------------------------------------------------------------------
// Formatter

const LINK = /(?:https?:\/\/|www\.)|[\p{L}\p{N}_-]\.\p{L}{2,}/iu;

/**
 * Writes the canonical payment tweet `@<bot> #<verb> <amount>EUR @<recipient>[ message]`. Refuses what
 * the parser would not read back identically, a message carrying a link, and anything over 280.
 */
export function formatPaymentTweet(input: FormatPaymentTweetInput): FormatPaymentTweetResult {
  const { botHandle, hashtag, amountCents, recipientHandle } = input;
  if (typeof botHandle !== 'string' || !HANDLE_RE.test(botHandle)) return fail('invalid_bot_handle');
  if (typeof hashtag !== 'string' || !VERB.test(hashtag)) return fail('invalid_hashtag');
  if (typeof recipientHandle !== 'string' || !HANDLE_RE.test(recipientHandle)) return fail('invalid_handle');
  if (recipientHandle.toLowerCase() === botHandle.toLowerCase()) return fail('recipient_is_bot');
  if (!Number.isSafeInteger(amountCents)) return fail('amount_not_integer');
  if (amountCents < MIN_TWEET_CENTS) return fail('amount_zero');
  if (amountCents > MAX_TWEET_CENTS) return fail('amount_too_large');
  const message = typeof input.message === 'string' ? input.message.trim() : '';
  if (hasHiddenCharacters(message)) return fail('hidden_characters');
  if ([...message.matchAll(MENTION)].some((m) => m[2] !== '')) return fail('message_has_mention');
  if ([...message.matchAll(HASHTAG)].some((m) => m[2]?.toLowerCase() === hashtag.toLowerCase())) {
    return fail('message_has_hashtag');
  }
  if (LINK.test(message)) return fail('message_has_link');

  const head = `@${botHandle} #${hashtag} ${formatTweetAmount(amountCents)}EUR @${recipientHandle}`;
  const text = message === '' ? head : `${head} ${message}`;
  const length = weightedLength(text);
  if (length > MAX_WEIGHTED_LENGTH) return fail('too_long');

  // The message must not change how the tweet reads: parse it back and demand the same payment.
  const parsed = parse(text, { botHandle, hashtag });
  if (!parsed.ok) return fail(messageReason(parsed.reason));
  if (
    parsed.amountCents !== amountCents ||
    parsed.recipientHandle !== recipientHandle ||
    parsed.message !== message
  ) {
    return fail('message_has_amount');
  }
  return { ok: true, text, weightedLength: length };
}

function messageReason(reason: PaymentTweetReason): PaymentTweetReason {
  switch (reason) {
    case 'several_recipients':
    case 'several_bot_mentions':
    case 'invalid_handle':
    case 'non_ascii_symbol':
      return 'message_has_mention';
    case 'several_hashtags':
      return 'message_has_hashtag';
    case 'too_long':
    case 'hidden_characters':
      return reason;
    default:
      return 'message_has_amount';
  }
}
