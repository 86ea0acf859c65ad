/**
 * Speaking the user's language: the words are in locales/en.ts and locales/fr.ts; this module picks the
 * language, fills placeholders, and says codes (wallet errors, amount and tweet refusals) in words.
 *
 * Pure: no `browser.*` here, so components and unit tests can import it. Pages resolve the language with
 * {@link resolveLang} from the `language` setting and `browser.i18n.getUILanguage()`; injected UI on x.com
 * uses X's page language instead (content script).
 */

import { formatAmount } from '../core/money';
import { LOCALES, type Lang, type LanguageSetting } from '../core/lang';
import * as en from '../locales/en';
import type { MessageKey, Messages, NoticeEvent } from '../locales/en';
import * as fr from '../locales/fr';

export type { Lang, LanguageSetting, MessageKey, NoticeEvent };

/** `auto` follows the browser's UI language (French for any `fr-*`, English otherwise). */
export function resolveLang(setting: LanguageSetting | undefined, uiLanguage: string | undefined): Lang {
  if (setting === 'fr' || setting === 'en') return setting;
  return (uiLanguage ?? '').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export const MESSAGES: Record<Lang, Messages> = { en: en.messages, fr: fr.messages };
const NOTICES: Record<Lang, Record<NoticeEvent, readonly [string, string]>> = {
  en: en.notices,
  fr: fr.notices,
};

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** `text` with its `{name}` placeholders filled (values are inserted as plain text; unknown names stay). */
function fill(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Look up `key` in `lang` and substitute `{name}` placeholders. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return fill(MESSAGES[lang][key], params);
}

/** True for the events that have a notification (a status of a sent payment, or `received`). */
export function isNoticeEvent(event: string): event is NoticeEvent {
  return event in en.notices;
}

/** The title and message of a notification of the background (locales/*.ts `notices`). */
export function noticeText(
  lang: Lang,
  event: NoticeEvent,
  params: Params,
): { title: string; message: string } {
  const [title, message] = NOTICES[lang][event];
  return { title: fill(title, params), message: fill(message, params) };
}

/** The toolbar tooltip of a tab where the Pay buttons are paused (the background's only words besides notices). */
export function pausedText(lang: Lang): string {
  return lang === 'fr' ? fr.paused : en.paused;
}

/** A translator bound to one language. */
export function translator(lang: Lang): Translate {
  return (key, params) => translate(lang, key, params);
}

/** Words for an error code from the wallet API or the background (unknown codes stay readable). */
export function errorText(t: Translate, code: string): string {
  const key = `error.${code}` as MessageKey;
  return key in en.messages ? t(key) : t('error.unknown', { code });
}

/** What every presentational component needs to speak the user's language. */
export interface I18n {
  lang: Lang;
  t: Translate;
  /** Display an amount of integer cents in the user's locale (e.g. "12,50 €"). */
  money: (cents: number) => string;
  /** Display a date and time in the user's locale. */
  date: (iso: string) => string;
}

/** The I18n value of a page in `lang`. */
export function makeI18n(lang: Lang): I18n {
  const fmt = new Intl.DateTimeFormat(LOCALES[lang], {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return {
    lang,
    t: translator(lang),
    money: (cents) => formatAmount(cents, lang),
    date: (iso) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? '' : fmt.format(d);
    },
  };
}

/** Words for a refusal of core/money.ts `parseAmount` (reason codes without their own text get an example). */
export function amountErrorText(t: Translate, reason: string, lang: Lang): string {
  const key = `amount.${reason}` as MessageKey;
  if (reason !== 'invalid' && key in en.messages) return t(key);
  return t('amount.invalid', { example: lang === 'fr' ? '12,50' : '12.50' });
}

/** Reasons of core/payment-tweet.ts `formatPaymentTweet` the payer can fix have their own words. */
export function tweetReasonText(t: Translate, reason: string): string {
  const key = `tweet.reason.${reason}` as MessageKey;
  if (reason !== 'other' && reason !== 'invalid_amount' && key in en.messages) return t(key);
  if (reason === 'recipient_is_bot') return t('tweet.reason.invalid_handle');
  if (reason.startsWith('amount_')) return t('tweet.reason.invalid_amount');
  return t('tweet.reason.other', { reason });
}
