import { createContext, h, render, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { makeI18n, type I18n } from '../utils/i18n';

export type { I18n };

export const I18nContext = createContext<I18n>(makeI18n('en'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** Draws (or redraws) a page's `ui` into its `#app`, speaking `i18n`'s language. */
export function showPage(i18n: I18n, ui: ComponentChildren): void {
  render(h(I18nContext.Provider, { value: i18n }, ui), document.getElementById('app')!);
}
