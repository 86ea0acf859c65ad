/**
 * Wiring shared by the extension pages (popup, confirm window, options): the user's language and settings.
 * Pages only — it reads `storage.local` and the browser's UI language.
 */
import { browser } from 'wxt/browser';
import { makeI18n, resolveLang, type I18n, type Lang } from './i18n';
import { formatAmount } from '../core/money';
import { getSettings, type Settings } from './storage';

/** Display amounts with core/money.ts in the page's language (a negative amount gets a minus sign). */
export function moneyFor(cents: number, lang: Lang): string {
  return cents < 0 ? `−${formatAmount(-cents, lang)}` : formatAmount(cents, lang);
}

export interface PageEnv {
  settings: Settings;
  i18n: I18n;
}

/** Settings plus the page language (setting `auto` = the browser UI language); sets `<html lang>`. */
export async function loadPageEnv(): Promise<PageEnv> {
  const settings = await getSettings();
  const lang = resolveLang(settings.language, browser.i18n.getUILanguage());
  document.documentElement.lang = lang;
  return { settings, i18n: makeI18n(lang, moneyFor) };
}
