import fc from 'fast-check';
import twitter from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { weightedCases } from '../tests/fixtures/twitter-text/validate-weighted';
import { weightedLength } from './weighted-length';

describe('weightedLength', () => {
  it.each(weightedCases)(
    'should match twitter-text conformance: $description',
    ({ text, weightedLength: expected }) => {
      // The oracle guards the fixture's transcription; our implementation must agree with both.
      expect(twitter.parseTweet(text).weightedLength).toBe(expected);
      expect(weightedLength(text)).toBe(expected);
    },
  );

  it.each([
    ['@SMoneyfr #envoyer 50EUR @destinataire', 38],
    ['@SMoneyfr #envoyer 50€ @destinataire', 37],
    ['1\u202f250,50\u00a0€', 12],
    ['é’', 2],
    ['©', 1],
    ['\u00a9\ufe0f', 2],
    ['1\u20e3', 2],
    ['merci.fr', 23],
    ['(https://en.wikipedia.org/wiki/Foo_(bar))', 25],
    ['ftp://www.example.com/', 22],
  ])('should count %j as %i', (text, expected) => {
    expect(weightedLength(text)).toBe(expected);
    expect(twitter.parseTweet(text).weightedLength).toBe(expected);
  });

  it('should agree with twitter-text on random text without URLs', () => {
    const alphabet = [
      'a',
      'Z',
      '0',
      '9',
      ' ',
      '\n',
      '@',
      '#',
      '€',
      'é',
      'e\u0301',
      '’',
      '\u00a0',
      '\u202f',
      '\u2000',
      '\u200d',
      '\ufe0f',
      '\u20e3',
      '©',
      '®',
      '™',
      '☺',
      '😷',
      '🏽',
      '👨',
      '👩',
      '🇫',
      '🇷',
      '故',
      'ש',
      '\u05bc',
      'Ж',
      '\u2066',
      '\u202e',
      '\u{1F3F4}',
      '\u{E0067}',
      '\u{E007F}',
      '\uFB2C',
      '５',
      '＠',
    ];
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => weightedLength(t) === twitter.parseTweet(t).weightedLength),
      { numRuns: 3000 },
    );
  });
});
