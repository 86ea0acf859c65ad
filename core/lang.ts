/** The languages the product speaks, and the BCP 47 locale `Intl` formats each one with. */
export type Lang = 'fr' | 'en';

export const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

/** The language setting: a language, or `auto` (the browser's UI language). */
export type LanguageSetting = 'auto' | Lang;
