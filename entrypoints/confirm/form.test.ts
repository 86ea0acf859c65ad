import { describe, expect, it } from 'vitest';
import { computeConfirmView, type ConfirmDeps } from './form';
import type { ConfirmContext } from '../../utils/messaging';
import { formatTweetAmount } from '../../core/money';
import { checkPayment } from '../../core/rules';
import { aConfirmContext } from '../../tests/helpers/wallet-data';

function ctx(
  over: { kind?: 'person' | 'business' | 'association'; available?: number; myHandle?: string } = {},
): ConfirmContext {
  const kind = over.kind ?? 'person';
  const c = aConfirmContext({
    recipient: {
      displayName: 'Bob',
      kind,
      limitCents: kind === 'association' ? 50000 : 25000,
      feeBps: kind === 'business' ? 150 : 0,
    },
    me: {
      xHandle: over.myHandle ?? 'me',
      balance: { availableCents: over.available ?? 10000, heldCents: 0 },
    },
  });
  return { ...c, request: { ...c.request, tweetId: null, source: 'profile' } };
}

const deps: ConfirmDeps = {
  formatTweet: ({ botHandle, hashtag, amountCents, recipientHandle, message }) => {
    if (message?.includes('@')) return { ok: false, reason: 'ambiguous' };
    const text = `@${botHandle} #${hashtag} ${formatTweetAmount(amountCents)}EUR @${recipientHandle}${message ? ` ${message}` : ''}`;
    return { ok: true, text, weightedLength: text.length };
  },
  check: checkPayment,
};

describe('computeConfirmView', () => {
  it('should allow a payment within limit and balance and preview the tweet', () => {
    const v = computeConfirmView(ctx(), 500, '  merci ', 'tweet', deps);
    expect(v.problem).toBeNull();
    expect(v.tweet).toEqual({ ok: true, text: '@SMoneyfr #envoyer 5EUR @bob merci', weightedLength: 34 });
    expect(v.balanceAfterCents).toBe(9500);
    expect(v.feeCents).toBe(0);
    expect(v.canConfirm).toBe(true);
  });
  it('should explain an amount over the recipient limit before confirming', () => {
    const v = computeConfirmView(ctx({ available: 100000 }), 25001, '', 'private', deps);
    expect(v.problem).toEqual({ code: 'limit_exceeded', limitCents: 25000 });
    expect(v.canConfirm).toBe(false);
  });
  it('should explain insufficient funds', () => {
    const v = computeConfirmView(ctx({ available: 400 }), 500, '', 'private', deps);
    expect(v.problem).toEqual({ code: 'insufficient_funds', availableCents: 400 });
    expect(v.canConfirm).toBe(false);
  });
  it('should refuse paying oneself whatever the amount', () => {
    expect(computeConfirmView(ctx({ myHandle: 'BOB' }), null, '', 'tweet', deps).problem).toEqual({
      code: 'self_payment',
    });
  });
  it('should charge the business commission half-up and show what they receive', () => {
    const v = computeConfirmView(ctx({ kind: 'business' }), 1033, '', 'private', deps);
    expect(v.feeCents).toBe(15); // 1033 × 1.5 % = 15.495 → 15
    expect(v.netCents).toBe(1018);
    expect(computeConfirmView(ctx({ kind: 'business' }), 1100, '', 'private', deps).feeCents).toBe(17); // 16.5 → 17
  });
  it('should disable Confirm when the formatter refuses the tweet, but not in private mode', () => {
    expect(computeConfirmView(ctx(), 500, 'hi @eve', 'tweet', deps)).toMatchObject({
      tweet: { ok: false, reason: 'ambiguous' },
      canConfirm: false,
    });
    expect(computeConfirmView(ctx(), 500, 'hi @eve', 'private', deps)).toMatchObject({
      tweet: null,
      canConfirm: true,
    });
  });
  it('should not allow confirming without an amount', () => {
    expect(computeConfirmView(ctx(), null, '', 'private', deps).canConfirm).toBe(false);
  });
});
