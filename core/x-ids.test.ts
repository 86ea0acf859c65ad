import { describe, expect, it } from 'vitest';
import {
  HANDLE_PATTERN,
  HANDLE_RE,
  isReservedPath,
  isXLinkHost,
  TWEET_ID_RE,
  X_ID_PATTERN,
  X_MATCHES,
  X_ORIGINS,
} from './x-ids';

describe('X identifiers', () => {
  it('the expressions are the patterns, anchored', () => {
    expect(HANDLE_RE.source).toBe(`^${HANDLE_PATTERN}$`);
    expect(TWEET_ID_RE.source).toBe(`^${X_ID_PATTERN}$`);
  });

  it('origins and match patterns name the same four hosts', () => {
    expect(X_ORIGINS).toEqual([
      'https://x.com',
      'https://twitter.com',
      'https://mobile.x.com',
      'https://mobile.twitter.com',
    ]);
    expect(X_MATCHES).toEqual(X_ORIGINS.map((o) => `${o}/*`));
  });

  it('a link may also name the www. hosts, and nothing else', () => {
    for (const host of ['x.com', 'www.x.com', 'www.twitter.com', 'mobile.twitter.com'])
      expect(isXLinkHost(host)).toBe(true);
    for (const host of ['evil.com', 'x.com.evil.com', 'www.mobile.x.com', 'X.com.', ''])
      expect(isXLinkHost(host)).toBe(false);
  });

  it.each([
    ['alice', true],
    ['A_1', true],
    ['a'.repeat(15), true],
    ['a'.repeat(16), false],
    ['', false],
    ['al-ice', false],
    ['alicé', false],
    ['ａlice', false],
  ])('handle %j → %s', (handle, ok) => expect(HANDLE_RE.test(handle)).toBe(ok));

  it.each([
    ['1', true],
    ['1'.repeat(20), true],
    ['1'.repeat(21), false],
    ['12a', false],
    ['١٢', false],
  ])('post id %j → %s', (id, ok) => expect(TWEET_ID_RE.test(id)).toBe(ok));

  it('reserved paths are X pages in any case; handles are not', () => {
    for (const p of ['home', 'Explore', 'grok', 'I', 'settings']) expect(isReservedPath(p)).toBe(true);
    for (const p of ['alice', 'grokfan', 'homer']) expect(isReservedPath(p)).toBe(false);
  });
});
