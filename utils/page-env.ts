/**
 * Wiring shared by the extension pages (popup, confirm window, options): the user's language and settings.
 * Pages only — it reads `storage.local` and the browser's UI language.
 */
import { browser } from 'wxt/browser';
import { makeI18n, resolveLang, type I18n } from './i18n';
import { getSettings, type Settings } from './storage';

export interface PageEnv {
  settings: Settings;
  i18n: I18n;
}

/** Settings plus the page language (setting `auto` = the browser UI language); sets `<html lang>`. */
export async function loadPageEnv(): Promise<PageEnv> {
  const settings = await getSettings();
  const lang = resolveLang(settings.language, browser.i18n.getUILanguage());
  document.documentElement.lang = lang;
  return { settings, i18n: makeI18n(lang) };
}
