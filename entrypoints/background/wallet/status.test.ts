import { describe, expect, it } from 'vitest';
import type { Payment, PaymentStatus } from '../../../core/wallet-types';
import { aPayment } from '../../../tests/helpers/wallet-data';
import { awaitingMyConfirmation, noticeFor } from './status';

const payment = (direction: Payment['direction'], status: PaymentStatus, recipient: string | null = 'bob') =>
  aPayment({
    id: `p-${direction}-${status}`,
    direction,
    recipient: { handle: recipient, displayName: null, registered: true },
    amountCents: 1250,
    status,
  });

describe('noticeFor', () => {
  it('should tell a payee only of a completed payment', () => {
    expect(noticeFor(payment('received', 'completed'), 'en')).toEqual({
      title: 'Payment received',
      message: '@alice paid you €12.50.',
    });
    for (const status of ['claimable', 'refunded', 'failed', 'awaiting_confirmation'] as const)
      expect(noticeFor(payment('received', status), 'en')).toBeNull();
  });

  it('should tell a payer of each status that changes their money, in their language', () => {
    expect(noticeFor(payment('sent', 'completed'), 'en')?.message).toBe('€12.50 paid to @bob.');
    expect(noticeFor(payment('sent', 'refunded'), 'fr')).toEqual({
      title: 'Paiement remboursé',
      message: '12,50\u00a0€ pour @bob vous ont été rendus.',
    });
    expect(noticeFor(payment('sent', 'awaiting_confirmation', null), 'en')?.message).toBe(
      'Confirm or cancel €12.50 to ? in Tweetez Payez.',
    );
    for (const status of ['awaiting_tweet', 'canceled'] as const)
      expect(noticeFor(payment('sent', status), 'en')).toBeNull();
  });
});

describe('awaitingMyConfirmation', () => {
  it('should count the sent payments awaiting confirmation only', () => {
    const list = [
      payment('sent', 'awaiting_confirmation'),
      payment('received', 'awaiting_confirmation'),
      payment('sent', 'completed'),
    ];
    expect(awaitingMyConfirmation(list)).toBe(1);
  });
});
