import { describe, expect, it } from 'vitest';
import type { Payment } from '../../core/wallet-types';
import { MAX_REMEMBERED, normalizeTweet, notWrittenByUs, rememberTweet } from './written-tweets';

const payment = (id: string, status: Payment['status'], tweetText: string | null) =>
  ({ id, status, tweetText }) as Payment;

describe('written tweets', () => {
  it('should remember filled texts once, newest last, within a bound', () => {
    let texts: string[] = [];
    texts = rememberTweet(texts, '@SMoneyfr #envoyer 5EUR @alice');
    texts = rememberTweet(texts, '  @SMoneyfr #envoyer 5EUR\n@alice ');
    expect(texts).toEqual(['@SMoneyfr #envoyer 5EUR @alice']);
    for (let i = 0; i < MAX_REMEMBERED + 5; i++) texts = rememberTweet(texts, `t${i}`);
    expect(texts).toHaveLength(MAX_REMEMBERED);
    expect(texts.at(-1)).toBe(`t${MAX_REMEMBERED + 4}`);
  });

  it('should mark payments awaiting confirmation whose tweet the extension did not write', () => {
    const filled = [normalizeTweet('@SMoneyfr #envoyer 5EUR @alice\n\nmerci')];
    const payments = [
      payment('ours', 'awaiting_confirmation', '@SMoneyfr #envoyer 5EUR @alice merci'),
      payment('rewritten', 'awaiting_confirmation', '@SMoneyfr #envoyer 249EUR @mallory_pay'),
      payment('typed', 'awaiting_confirmation', null),
      payment('waiting', 'awaiting_tweet', '@SMoneyfr #envoyer 9EUR @bob'),
    ];
    expect(notWrittenByUs(payments, filled)).toEqual(['rewritten', 'typed']);
    expect(notWrittenByUs(payments, [])).toEqual(['ours', 'rewritten', 'typed']);
  });
});
