import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { makeI18n, type I18n } from '../utils/i18n';

export type { I18n };

export const I18nContext = createContext<I18n>(makeI18n('en'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
