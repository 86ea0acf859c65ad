/** The payment DTO of the wallet API (core/wallet-types.ts `Payment`) from a stored row, as one viewer sees it. */
import type { Payment } from '../../core/wallet-types';
import type { PaymentViewRow } from './row';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function rowToPayment(r: PaymentViewRow, viewerId: string): Payment {
  return {
    id: r.id,
    direction: r.payer_id === viewerId ? 'sent' : 'received',
    payer: { handle: r.payer_handle, displayName: r.payer_name },
    recipient: {
      handle: r.recipient_handle,
      displayName: r.recipient_name,
      registered: r.recipient_id !== null,
    },
    amountCents: Number(r.amount_cents),
    feeCents: Number(r.fee_cents),
    currency: 'EUR',
    message: r.message,
    mode: r.mode,
    status: r.status,
    failureReason: r.failure_reason,
    tweetText: r.tweet_text,
    tweetId: r.tweet_id,
    replyToTweetId: r.reply_to_tweet_id,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    expiresAt: iso(r.expires_at),
  };
}
