import { describe, expect, it } from 'vitest';
import { errorText, makeI18n, MESSAGES, resolveLang, translate, translator } from './i18n';

describe('resolveLang', () => {
  it('should follow the browser UI language when the setting is auto', () => {
    expect(resolveLang('auto', 'fr-CA')).toBe('fr');
    expect(resolveLang('auto', 'FR')).toBe('fr');
    expect(resolveLang('auto', 'de-DE')).toBe('en');
    expect(resolveLang(undefined, undefined)).toBe('en');
  });
  it('should let the setting override the browser', () => {
    expect(resolveLang('fr', 'en-US')).toBe('fr');
    expect(resolveLang('en', 'fr-FR')).toBe('en');
  });
});

describe('translate', () => {
  it('should substitute placeholders and leave unknown ones visible', () => {
    expect(translate('fr', 'popup.payHandle', { handle: 'bob' })).toBe('Payer @bob');
    expect(translate('en', 'popup.payHandle')).toBe('Pay @{handle}');
  });
  it('should not interpret $ patterns in substituted values', () => {
    expect(translate('en', 'popup.signedInAs', { name: "$& $1 $'" })).toBe("Signed in as $& $1 $'");
  });
  it('should have every string in both languages, non-empty, with the same placeholders', () => {
    const keys = Object.keys(MESSAGES.en);
    expect(Object.keys(MESSAGES.fr).sort()).toEqual([...keys].sort());
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of keys as (keyof typeof MESSAGES.en)[]) {
      expect(MESSAGES.fr[key].trim(), key).not.toBe('');
      expect(holes(MESSAGES.fr[key]), key).toEqual(holes(MESSAGES.en[key]));
    }
  });
});

describe('errorText', () => {
  it('should say wallet errors in words and keep unknown codes readable', () => {
    const t = translator('fr');
    expect(errorText(t, 'limit_exceeded')).toBe('Ce montant dépasse le plafond pour ce bénéficiaire.');
    expect(errorText(t, 'weird_code')).toBe('Un problème est survenu (weird_code).');
  });
});

describe('makeI18n', () => {
  it('should bind money formatting to the language and format dates', () => {
    const i18n = makeI18n('fr', (cents, lang) => `${lang}:${cents}`);
    expect(i18n.money(250)).toBe('fr:250');
    expect(i18n.date('2026-11-23T09:05:00Z')).toMatch(/23 nov/);
    expect(i18n.date('not a date')).toBe('');
  });
});
