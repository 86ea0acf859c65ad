import { describe, expect, it } from 'vitest';
import { parseXTarget, tweetIntentUrl } from './x-links';

describe('parseXTarget', () => {
  it('should find the profile or the post of an X URL', () => {
    expect(parseXTarget('https://x.com/bob_42')).toEqual({ recipientHandle: 'bob_42', tweetId: null });
    expect(parseXTarget('https://twitter.com/Bob/with_replies?lang=fr')).toEqual({
      recipientHandle: 'Bob',
      tweetId: null,
    });
    expect(parseXTarget('https://mobile.x.com/bob/status/1790000000000000001/photo/1')).toEqual({
      recipientHandle: 'bob',
      tweetId: '1790000000000000001',
    });
  });

  it('should refuse other sites, X pages that are not profiles and malformed ids', () => {
    for (const url of [
      undefined,
      'not a url',
      'http://x.com/bob',
      'https://x.com.evil.example/bob',
      'https://evil.example/bob/status/1',
      'https://x.com/',
      'https://x.com/home',
      'https://x.com/i/bookmarks',
      'https://x.com/search?q=bob',
      'https://x.com/bob/status/abc',
      'https://x.com/this_handle_is_too_long',
    ]) {
      expect(parseXTarget(url)).toBeNull();
    }
  });
});

describe('tweetIntentUrl', () => {
  it('should encode the text and add the reply id', () => {
    const url = new URL(tweetIntentUrl('@SMoneyfr #envoyer 12,50EUR @bob merci & à+', '123'));
    expect(url.origin + url.pathname).toBe('https://x.com/intent/post');
    expect(url.searchParams.get('text')).toBe('@SMoneyfr #envoyer 12,50EUR @bob merci & à+');
    expect(url.searchParams.get('in_reply_to')).toBe('123');
    expect(new URL(tweetIntentUrl('hi')).searchParams.has('in_reply_to')).toBe(false);
  });
});
