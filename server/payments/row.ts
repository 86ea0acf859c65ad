/**
 * A payment as the `payments` table stores it (`PaymentRow`), and as the code writes a new one (`NewPayment`).
 *
 * Hold model: funds of an `awaiting_tweet` / `awaiting_confirmation` payment sit in the holds account,
 * those of a `claimable` payment in escrow; the payer's `heldCents` is the sum of its such payments.
 */
import type { PaymentStatus } from '../../core/wallet-types';

export interface PaymentRow {
  id: string;
  seq: number;
  payer_id: string;
  recipient_id: string | null;
  recipient_handle: string;
  recipient_x_user_id: string | null;
  amount_cents: number;
  fee_cents: number;
  message: string | null;
  mode: 'tweet' | 'private';
  status: PaymentStatus;
  failure_reason: string | null;
  tweet_text: string | null;
  tweet_id: string | null;
  reply_to_tweet_id: string | null;
  created_at: Date;
  updated_at: Date;
  expires_at: Date | null;
}

/** A payment row with the names of its two parties, as the DTO needs it. */
export type PaymentViewRow = Omit<PaymentRow, 'seq'> & {
  payer_handle: string | null;
  payer_name: string;
  recipient_name: string | null;
};

export interface NewPayment {
  id: string;
  payerId: string;
  recipientId: string | null;
  recipientHandle: string;
  recipientXUserId: string | null;
  amountCents: number;
  feeCents: number;
  message: string | null;
  mode: 'tweet' | 'private';
  status: PaymentStatus;
  tweetText: string | null;
  tweetId: string | null;
  replyToTweetId: string | null;
  failureReason: string | null;
  now: Date;
  expiresAt: Date | null;
}

/** The stored form of a new payment (before the database gives it its `seq`). */
export function toPaymentRow(p: NewPayment): Omit<PaymentRow, 'seq'> {
  return {
    id: p.id,
    payer_id: p.payerId,
    recipient_id: p.recipientId,
    recipient_handle: p.recipientHandle,
    recipient_x_user_id: p.recipientXUserId,
    amount_cents: p.amountCents,
    fee_cents: p.feeCents,
    message: p.message,
    mode: p.mode,
    status: p.status,
    failure_reason: p.failureReason,
    tweet_text: p.tweetText,
    tweet_id: p.tweetId,
    reply_to_tweet_id: p.replyToTweetId,
    created_at: p.now,
    updated_at: p.now,
    expires_at: p.expiresAt,
  };
}

export const minutes = (n: number) => n * 60_000;
export const days = (n: number) => n * 24 * 3600_000;
