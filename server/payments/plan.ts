/**
 * The pure part of payments: the rules a new payment must pass, its status, its ledger legs and the answer
 * the payer gets. Reads nothing, writes nothing; create.ts and decide-post.ts store what it plans.
 */
import { randomUUID } from 'node:crypto';
import { formatPaymentTweet } from '../../core/payment-tweet';
import { checkPayment, feeBpsFor, feeCents, type PaymentCheck } from '../../core/rules';
import type { CreatePaymentBody, Payment, PaymentStatus, WalletConfig } from '../../core/wallet-types';
import type { Party } from '../accounts';
import { ApiError } from '../errors';
import { SYSTEM, type Leg } from '../ledger';
import { rowToPayment } from './response';
import { days, minutes, toPaymentRow, type NewPayment } from './row';

/** A payment ready to be written: its row, its ledger legs and the answer the payer gets. */
export interface PlannedPayment {
  row: NewPayment;
  legs: Leg[];
  payment: Payment;
}

/** The rules of core/rules.ts for `amountCents` from `payer` to `recipient` (its account, if it has one). */
export function checkRules(
  config: WalletConfig,
  amountCents: number,
  isSelf: boolean,
  recipient: Party | undefined,
): PaymentCheck {
  return checkPayment(
    {
      amountCents,
      isSelf,
      recipient: recipient
        ? { registered: true, kind: recipient.kind, feeBps: recipient.fee_bps }
        : { registered: false, kind: 'person' },
    },
    config,
  );
}

/** Legs paying `amount` from `from` to a registered recipient (minus its business fee). */
export function payLegs(from: string, recipient: Party, amount: number, kind: 'payment' | 'claim') {
  // Limits were checked when the payment was made; here only the recipient's commission matters.
  const fee = feeCents(
    amount,
    feeBpsFor({ registered: true, kind: recipient.kind, feeBps: recipient.fee_bps }),
  );
  const legs: Leg[] = [{ from, to: recipient.id, amountCents: amount - fee, kind }];
  if (fee > 0) legs.push({ from, to: SYSTEM.fees, amountCents: fee, kind: 'fee' });
  return { legs, fee };
}

/**
 * Plans a new payment from `payer` (POST /v1/payments): the rules (limits, self payment, the bot as recipient,
 * a tweet that cannot be written), then the status, the hold or the transfer, and the DTO. A refusal throws its
 * ApiError. `recipient` is the account of `body.recipientHandle`, if any.
 */
export function planPayment(
  config: WalletConfig,
  payer: Party,
  recipient: Party | undefined,
  body: CreatePaymentBody,
  now: Date,
): PlannedPayment {
  const isSelf =
    recipient?.id === payer.id || body.recipientHandle.toLowerCase() === (payer.x_handle ?? '').toLowerCase();
  const check = checkRules(config, body.amountCents, isSelf, recipient);
  if (!check.ok) throw new ApiError(check.reason, check.detail);
  const handle = recipient?.x_handle ?? body.recipientHandle;
  if (handle.toLowerCase() === config.botHandle.toLowerCase()) {
    throw new ApiError(
      'recipient_invalid',
      `@${config.botHandle} is the wallet's bot; it cannot receive payments.`,
    );
  }
  let tweetText: string | null = null;
  if (body.mode === 'tweet') {
    const t = formatPaymentTweet({
      botHandle: config.botHandle,
      hashtag: config.hashtag,
      amountCents: body.amountCents,
      recipientHandle: handle,
      ...(body.message ? { message: body.message } : {}),
    });
    if (!t.ok)
      throw new ApiError(
        'invalid_request',
        `This payment cannot be tweeted: ${t.reason.replaceAll('_', ' ')}.`,
      );
    tweetText = t.text;
  }
  const id = randomUUID();
  let status: PaymentStatus;
  let expiresAt: Date | null = null;
  let legs: Leg[];
  let fee = 0;
  if (body.mode === 'tweet') {
    status = 'awaiting_tweet';
    expiresAt = new Date(now.getTime() + minutes(config.confirmMinutes));
    legs = [{ from: payer.id, to: SYSTEM.holds, amountCents: body.amountCents, kind: 'hold' }];
  } else if (recipient) {
    status = 'completed';
    ({ legs, fee } = payLegs(payer.id, recipient, body.amountCents, 'payment'));
  } else {
    status = 'claimable';
    expiresAt = new Date(now.getTime() + days(config.claimDays));
    legs = [{ from: payer.id, to: SYSTEM.escrow, amountCents: body.amountCents, kind: 'escrow' }];
  }
  const row: NewPayment = {
    id,
    payerId: payer.id,
    recipientId: recipient?.id ?? null,
    recipientHandle: handle,
    recipientXUserId: recipient?.x_user_id ?? null,
    amountCents: body.amountCents,
    feeCents: fee,
    message: body.message ?? null,
    mode: body.mode,
    status,
    tweetText,
    tweetId: null,
    replyToTweetId: body.replyToTweetId ?? null,
    failureReason: null,
    now,
    expiresAt,
  };
  const payment = rowToPayment(
    {
      ...toPaymentRow(row),
      payer_handle: payer.x_handle,
      payer_name: payer.display_name,
      recipient_name: recipient?.display_name ?? null,
    },
    payer.id,
  );
  return { row, legs, payment };
}

/**
 * Plans the payment of a hand-typed payment tweet nobody asked for in the wallet: `awaiting_confirmation` with
 * its amount held until the payer confirms, or `failed` with the rule it breaks (stored, so the payer sees why).
 */
export function planPostedPayment(
  config: WalletConfig,
  payer: Party,
  recipient: Party | undefined,
  post: {
    tweetId: string;
    text: string;
    amountCents: number;
    message: string;
    recipientXUserId: string;
    recipientHandle: string;
  },
  now: Date,
): { row: NewPayment; legs: Leg[] } {
  const base = {
    id: randomUUID(),
    payerId: payer.id,
    recipientId: recipient?.id ?? null,
    recipientHandle: recipient?.x_handle ?? post.recipientHandle,
    recipientXUserId: post.recipientXUserId,
    amountCents: post.amountCents,
    feeCents: 0,
    message: post.message || null,
    mode: 'tweet' as const,
    tweetText: post.text,
    tweetId: post.tweetId,
    replyToTweetId: null,
    now,
  };
  const isSelf = recipient?.id === payer.id || post.recipientXUserId === payer.x_user_id;
  const check = checkRules(config, post.amountCents, isSelf, recipient);
  if (!check.ok) {
    return { row: { ...base, status: 'failed', failureReason: check.reason, expiresAt: null }, legs: [] };
  }
  return {
    row: {
      ...base,
      status: 'awaiting_confirmation',
      failureReason: null,
      expiresAt: new Date(now.getTime() + minutes(config.confirmMinutes)),
    },
    legs: [{ from: payer.id, to: SYSTEM.holds, amountCents: post.amountCents, kind: 'hold' }],
  };
}
