/**
 * Wiring shared by the extension pages (popup, confirm window, options): the user's language and settings,
 * and the Pay-buttons setting kept live across pages (components/i18n-context.ts `showPage` draws them).
 * Pages only — it reads `storage.local` and the browser's UI language.
 */
import { browser } from 'wxt/browser';
import { makeI18n, resolveLang, type I18n } from './i18n';
import type { PayButtonsSetting } from './pay-buttons';
import { getPayButtons, getSettings, savePayButtons, watchPayButtons, type Settings } from './storage';

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

/** The Pay-buttons setting as a page shows it. */
export interface LivePayButtons {
  readonly value: PayButtonsSetting;
  /** Shows `next` at once and saves it. */
  set: (next: PayButtonsSetting) => void;
}

/** The stored Pay-buttons setting; `redraw` runs when it changes here or in another page (the popup's switch). */
export async function livePayButtons(redraw: () => void): Promise<LivePayButtons> {
  let value = await getPayButtons();
  const update = (next: PayButtonsSetting) => {
    value = next;
    redraw();
  };
  watchPayButtons(update);
  return {
    get value() {
      return value;
    },
    set(next) {
      update(next);
      void savePayButtons(next);
    },
  };
}
