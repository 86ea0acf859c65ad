/**
 * Payments: creation, transitions and their ledger legs. Every function runs inside the caller's
 * transaction and locks the payment row (FOR UPDATE) before changing it, so a transition happens once.
 *
 * Hold model: funds of an `awaiting_tweet` / `awaiting_confirmation` payment sit in the holds account,
 * those of a `claimable` payment in escrow; the payer's `heldCents` is the sum of its such payments.
 */
import { randomUUID } from 'node:crypto';
import { formatPaymentTweet } from '../utils/payment-tweet';
import { checkPayment, feeBpsFor, feeCents } from '../utils/rules';
import type { CreatePaymentBody, Payment, PaymentStatus, WalletConfig } from '../utils/wallet/types';
import { findByXUserId, getAccount, type AccountRow, type Party } from './accounts';
import type { Queryable } from './db';
import { ApiError } from './errors';
import { post, SYSTEM, type Leg } from './ledger';
import { enqueueReply } from './x/outbox';

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

export const minutes = (n: number) => n * 60_000;
export const days = (n: number) => n * 24 * 3600_000;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The DTO of a payment as `viewerId` sees it. */
export async function toPayment(q: Queryable, viewerId: string, paymentId: string): Promise<Payment> {
  const [r] = await q.query<
    PaymentRow & { payer_handle: string | null; payer_name: string; recipient_name: string | null } & Record<
        string,
        unknown
      >
  >(
    `SELECT p.*, pa.x_handle AS payer_handle, pa.display_name AS payer_name, ra.display_name AS recipient_name
     FROM payments p JOIN accounts pa ON pa.id = p.payer_id LEFT JOIN accounts ra ON ra.id = p.recipient_id
     WHERE p.id = $1`,
    [paymentId],
  );
  if (!r) throw new ApiError('not_found', 'No such payment.');
  return rowToPayment(r, viewerId);
}

export function rowToPayment(
  r: Omit<PaymentRow, 'seq'> & {
    payer_handle: string | null;
    payer_name: string;
    recipient_name: string | null;
  },
  viewerId: string,
): Payment {
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

async function lockPayment(tx: Queryable, id: string): Promise<PaymentRow> {
  const [row] = await tx.query<PaymentRow & Record<string, unknown>>(
    `SELECT * FROM payments WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!row) throw new ApiError('not_found', 'No such payment.');
  return row;
}

async function setStatus(
  tx: Queryable,
  id: string,
  status: PaymentStatus,
  now: Date,
  extra: {
    expiresAt?: Date | null;
    feeCents?: number;
    recipientId?: string | null;
    failureReason?: string;
  } = {},
): Promise<void> {
  await tx.query(
    `UPDATE payments SET status = $2, updated_at = $3,
       expires_at = CASE WHEN $4::boolean THEN $5::timestamptz ELSE expires_at END,
       fee_cents = COALESCE($6::bigint, fee_cents),
       recipient_id = COALESCE($7::text, recipient_id),
       failure_reason = COALESCE($8::text, failure_reason)
     WHERE id = $1`,
    [
      id,
      status,
      now,
      'expiresAt' in extra,
      extra.expiresAt ?? null,
      extra.feeCents ?? null,
      extra.recipientId ?? null,
      extra.failureReason ?? null,
    ],
  );
}

function ruleError(reason: 'invalid_request' | 'limit_exceeded' | 'self_payment', detail: string): ApiError {
  return new ApiError(reason, detail);
}

/** Legs paying `amount` from `from` to a registered recipient (minus its business fee). */
function payLegs(from: string, recipient: Party, amount: number, kind: 'payment' | 'claim') {
  // Limits were checked when the payment was made; here only the recipient's commission matters.
  const fee = feeCents(
    amount,
    feeBpsFor({ registered: true, kind: recipient.kind, feeBps: recipient.fee_bps }),
  );
  const legs: Leg[] = [{ from, to: recipient.id, amountCents: amount - fee, kind }];
  if (fee > 0) legs.push({ from, to: SYSTEM.fees, amountCents: fee, kind: 'fee' });
  return { legs, fee };
}

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

/** Inserts a payment; returns the stored row. */
export async function insertPayment(tx: Queryable, p: NewPayment): Promise<PaymentRow> {
  const [row] = await tx.query<PaymentRow & Record<string, unknown>>(
    `INSERT INTO payments (id, payer_id, recipient_id, recipient_handle, recipient_x_user_id, amount_cents, fee_cents,
       message, mode, status, tweet_text, tweet_id, reply_to_tweet_id, failure_reason, created_at, updated_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16) RETURNING *`,
    [
      p.id,
      p.payerId,
      p.recipientId,
      p.recipientHandle,
      p.recipientXUserId,
      p.amountCents,
      p.feeCents,
      p.message,
      p.mode,
      p.status,
      p.tweetText,
      p.tweetId,
      p.replyToTweetId,
      p.failureReason,
      p.now,
      p.expiresAt,
    ],
  );
  if (!row) throw new Error('payment insert returned no row');
  return row;
}

/** A payment ready to be written: its row, its ledger legs and the answer the payer gets. */
export interface PlannedPayment {
  row: NewPayment;
  legs: Leg[];
  payment: Payment;
}

/**
 * Plans a new payment from `payer` (pure: reads nothing, writes nothing): the rules (limits, self payment,
 * the bot as recipient, a tweet that cannot be written), then the status, the hold or the transfer, and the
 * DTO. A refusal throws its ApiError. `recipient` is the account of `body.recipientHandle`, if any.
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
  const check = checkPayment(
    {
      amountCents: body.amountCents,
      isSelf,
      recipient: recipient
        ? { registered: true, kind: recipient.kind, feeBps: recipient.fee_bps }
        : { registered: false, kind: 'person' },
    },
    config,
  );
  if (!check.ok) throw ruleError(check.reason, check.detail);
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

/**
 * Executes a payment whose funds are in holds (a matched tweet, a confirmation): completed when the
 * recipient has a wallet, else claimable (funds to escrow for `claimDays`).
 */
export async function executeHeld(
  tx: Queryable,
  config: WalletConfig,
  p: PaymentRow,
  now: Date,
): Promise<PaymentStatus> {
  let recipient = p.recipient_id ? await getAccount(tx, p.recipient_id) : undefined;
  if (!recipient && p.recipient_x_user_id) recipient = await findByXUserId(tx, p.recipient_x_user_id);
  if (recipient && recipient.id === p.payer_id) {
    await post(
      tx,
      [{ from: SYSTEM.holds, to: p.payer_id, amountCents: Number(p.amount_cents), kind: 'release' }],
      p.id,
      now,
    );
    await setStatus(tx, p.id, 'failed', now, { expiresAt: null, failureReason: 'self_payment' });
    return 'failed';
  }
  if (recipient) {
    const { legs, fee } = payLegs(SYSTEM.holds, recipient, Number(p.amount_cents), 'payment');
    await post(tx, legs, p.id, now);
    await setStatus(tx, p.id, 'completed', now, {
      expiresAt: null,
      feeCents: fee,
      recipientId: recipient.id,
    });
    await enqueueReply(tx, p, 'receipt', now);
    return 'completed';
  }
  await post(
    tx,
    [{ from: SYSTEM.holds, to: SYSTEM.escrow, amountCents: Number(p.amount_cents), kind: 'escrow' }],
    p.id,
    now,
  );
  await setStatus(tx, p.id, 'claimable', now, {
    expiresAt: new Date(now.getTime() + days(config.claimDays)),
  });
  await enqueueReply(tx, p, 'invitation', now);
  return 'claimable';
}

/** Returns held or escrowed funds to the payer and ends the payment (`canceled` or `refunded`). */
export async function release(
  tx: Queryable,
  p: PaymentRow,
  now: Date,
  to: 'canceled' | 'refunded',
  reason?: string,
) {
  const from = p.status === 'claimable' ? SYSTEM.escrow : SYSTEM.holds;
  await post(
    tx,
    [
      {
        from,
        to: p.payer_id,
        amountCents: Number(p.amount_cents),
        kind: to === 'refunded' ? 'refund' : 'release',
      },
    ],
    p.id,
    now,
  );
  await setStatus(tx, p.id, to, now, { expiresAt: null, ...(reason ? { failureReason: reason } : {}) });
}

/** Loads a payment the viewer may see (as payer or payee), else 404. */
export async function visiblePayment(q: Queryable, viewerId: string, id: string): Promise<PaymentRow> {
  const [row] = await q.query<PaymentRow & Record<string, unknown>>(
    `SELECT * FROM payments WHERE id = $1 AND (payer_id = $2 OR recipient_id = $2)`,
    [id, viewerId],
  );
  if (!row) throw new ApiError('not_found', 'No such payment.');
  return row;
}

export async function confirmPayment(
  tx: Queryable,
  config: WalletConfig,
  viewerId: string,
  id: string,
  now: Date,
) {
  await visiblePayment(tx, viewerId, id);
  const p = await lockPayment(tx, id);
  if (p.payer_id !== viewerId) throw new ApiError('forbidden', 'Only the payer can confirm a payment.');
  if (p.status !== 'awaiting_confirmation') {
    throw new ApiError(
      'conflict',
      `This payment is ${p.status.replaceAll('_', ' ')}; only a payment awaiting confirmation can be confirmed.`,
    );
  }
  if (p.expires_at && new Date(p.expires_at) <= now) {
    throw new ApiError('conflict', 'This payment expired; it was not made and its funds are released.');
  }
  await executeHeld(tx, config, p, now);
}

export async function cancelPayment(tx: Queryable, viewerId: string, id: string, now: Date) {
  await visiblePayment(tx, viewerId, id);
  const p = await lockPayment(tx, id);
  if (p.payer_id !== viewerId) throw new ApiError('forbidden', 'Only the payer can cancel a payment.');
  if (!['awaiting_tweet', 'awaiting_confirmation', 'claimable'].includes(p.status)) {
    throw new ApiError('conflict', `This payment is already ${p.status}; it can no longer be canceled.`);
  }
  await release(tx, p, now, 'canceled', 'canceled_by_payer');
}

/** Credits every claimable payment for this X account to `account` (after it linked the account). */
export async function claimFor(tx: Queryable, account: AccountRow, now: Date): Promise<number> {
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM payments WHERE status = 'claimable'
       AND (recipient_x_user_id = $1 OR (recipient_x_user_id IS NULL AND lower(recipient_handle) = lower($2)))
     ORDER BY seq FOR UPDATE`,
    [account.x_user_id, account.x_handle],
  );
  for (const { id } of rows) {
    const p = await lockPayment(tx, id);
    if (p.payer_id === account.id) {
      await release(tx, p, now, 'refunded', 'self_payment');
      continue;
    }
    const { legs, fee } = payLegs(SYSTEM.escrow, account, Number(p.amount_cents), 'claim');
    await post(tx, legs, p.id, now);
    await setStatus(tx, p.id, 'completed', now, { expiresAt: null, feeCents: fee, recipientId: account.id });
  }
  return rows.length;
}

/**
 * Expires what is due: unconfirmed/untweeted payments → canceled, unclaimed → refunded. Safe with several
 * processes on one PostgreSQL: each batch takes its rows with FOR UPDATE SKIP LOCKED.
 */
export async function expireDue(tx: Queryable, now: Date, batch = 100): Promise<number> {
  const rows = await tx.query<PaymentRow & Record<string, unknown>>(
    `SELECT * FROM payments WHERE status IN ('awaiting_tweet', 'awaiting_confirmation', 'claimable') AND expires_at <= $1
     ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, batch],
  );
  for (const p of rows) {
    if (p.status === 'claimable') await release(tx, p, now, 'refunded', 'unclaimed');
    else await release(tx, p, now, 'canceled', 'expired');
  }
  return rows.length;
}
