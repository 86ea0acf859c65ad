import { describe, expect, it } from 'vitest';
import * as en from '../locales/en';
import * as fr from '../locales/fr';
import {
  errorText,
  makeI18n,
  MESSAGES,
  noticeText,
  resolveLang,
  translate,
  translator,
  tweetReasonText,
} from './i18n';

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

/** `{ received: [title, message] }` → `{ 'received.0': title, 'received.1': message }`. */
const flat = (notices: Record<string, readonly string[]>) =>
  Object.fromEntries(Object.entries(notices).flatMap(([k, v]) => v.map((text, i) => [`${k}.${i}`, text])));

describe('translate', () => {
  it('should substitute placeholders and leave unknown ones visible', () => {
    expect(translate('fr', 'popup.payHandle', { handle: 'bob' })).toBe('Payer @bob');
    expect(translate('en', 'popup.payHandle')).toBe('Pay @{handle}');
  });
  it('should not interpret $ patterns in substituted values', () => {
    expect(translate('en', 'popup.signedInAs', { name: "$& $1 $'" })).toBe("Signed in as $& $1 $'");
  });
  it.each([
    ['messages', MESSAGES.en, MESSAGES.fr],
    ['notices', flat(en.notices), flat(fr.notices)],
  ] as [string, Record<string, string>, Record<string, string>][])(
    'should have every string of %s in both languages, non-empty, with the same placeholders',
    (_, english, french) => {
      const keys = Object.keys(english);
      expect(Object.keys(french).sort()).toEqual([...keys].sort());
      const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const key of keys) {
        expect(french[key]!.trim(), key).not.toBe('');
        expect(holes(french[key]!), key).toEqual(holes(english[key]!));
      }
    },
  );
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
    const i18n = makeI18n('fr');
    expect(i18n.money(250)).toBe('2,50\u00a0€');
    expect(i18n.money(-123456)).toBe('−1\u202f234,56\u00a0€');
    expect(makeI18n('en').money(250)).toBe('€2.50');
    expect(i18n.date('2026-11-23T09:05:00Z')).toMatch(/23 nov/);
    expect(i18n.date('not a date')).toBe('');
  });
});

describe('noticeText', () => {
  it('should fill a notification in the chosen language', () => {
    expect(noticeText('fr', 'received', { from: '@bob', amount: '5,00 €' })).toEqual({
      title: 'Paiement reçu',
      message: '@bob vous a payé 5,00 €.',
    });
    expect(noticeText('en', 'failed', { amount: '€1.00', to: '@al' }).message).toBe(
      'The payment of €1.00 to @al failed.',
    );
  });
});

describe('tweetReasonText', () => {
  const t = translator('en');
  it.each([
    ['too_long', 'it is over 280 characters. Shorten the message.'],
    ['recipient_is_bot', 'the recipient handle is not valid.'],
    ['amount_zero', 'the amount is not valid.'],
    ['invalid_amount', 'the text is not valid (invalid_amount).'],
    ['weird', 'the text is not valid (weird).'],
  ])('should say %s in words', (reason, words) => expect(tweetReasonText(t, reason)).toBe(words));
});
