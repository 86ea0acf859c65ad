/**
 * Every SQL statement on the `payments` table. Writers run inside the caller's transaction; `lock…` reads
 * take the rows FOR UPDATE, so a transition happens once. The one-statement create of a new payment with its
 * Idempotency-Key is in create.ts (the `create_payment_once()` function of server/db/migrations.ts).
 */
import type { Payment, PaymentStatus } from '../../core/wallet-types';
import type { Queryable } from '../db';
import { ApiError } from '../errors';
import { rowToPayment } from './response';
import type { NewPayment, PaymentRow, PaymentViewRow } from './row';

type Row<T> = T & Record<string, unknown>;

const VIEW = `SELECT p.*, pa.x_handle AS payer_handle, pa.display_name AS payer_name, ra.display_name AS recipient_name
  FROM payments p JOIN accounts pa ON pa.id = p.payer_id LEFT JOIN accounts ra ON ra.id = p.recipient_id`;

/** The DTO of a payment as `viewerId` sees it. */
export async function toPayment(q: Queryable, viewerId: string, paymentId: string): Promise<Payment> {
  const [r] = await q.query<Row<PaymentViewRow>>(`${VIEW} WHERE p.id = $1`, [paymentId]);
  if (!r) throw new ApiError('not_found', 'No such payment.');
  return rowToPayment(r, viewerId);
}

/** A page of the payments `accountId` made or received, newest first (one more than `limit`: is there more?). */
export async function listPayments(
  q: Queryable,
  accountId: string,
  page: { statuses: PaymentStatus[] | null; before: string | null; limit: number },
): Promise<(PaymentViewRow & { seq: number })[]> {
  return q.query<Row<PaymentViewRow & { seq: number }>>(
    `${VIEW}
     WHERE (p.payer_id = $1 OR p.recipient_id = $1)
       AND ($2::text[] IS NULL OR p.status = ANY($2::text[]))
       AND ($3::bigint IS NULL OR p.seq < $3::bigint)
     ORDER BY p.seq DESC LIMIT $4`,
    [accountId, page.statuses, page.before, page.limit + 1],
  );
}

/** Loads a payment the viewer may see (as payer or payee), else 404. */
export async function visiblePayment(q: Queryable, viewerId: string, id: string): Promise<PaymentRow> {
  const [row] = await q.query<Row<PaymentRow>>(
    `SELECT * FROM payments WHERE id = $1 AND (payer_id = $2 OR recipient_id = $2)`,
    [id, viewerId],
  );
  if (!row) throw new ApiError('not_found', 'No such payment.');
  return row;
}

export async function lockPayment(tx: Queryable, id: string): Promise<PaymentRow> {
  const [row] = await tx.query<Row<PaymentRow>>(`SELECT * FROM payments WHERE id = $1 FOR UPDATE`, [id]);
  if (!row) throw new ApiError('not_found', 'No such payment.');
  return row;
}

/** Inserts a payment; returns the stored row. */
export async function insertPayment(tx: Queryable, p: NewPayment): Promise<PaymentRow> {
  const [row] = await tx.query<Row<PaymentRow>>(
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

export async function setStatus(
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

/** A payment whose hold could not be taken (the payer's balance was short): failed, nothing held. */
export async function setHoldFailed(tx: Queryable, id: string): Promise<void> {
  await tx.query(
    `UPDATE payments SET status = 'failed', failure_reason = 'insufficient_funds', expires_at = NULL WHERE id = $1`,
    [id],
  );
}

/** The claimable payments for an X account (by user id, or by handle when none was known), oldest first, locked. */
export async function lockClaimable(
  tx: Queryable,
  xUserId: string | null,
  xHandle: string | null,
): Promise<{ id: string }[]> {
  return tx.query<{ id: string }>(
    `SELECT id FROM payments WHERE status = 'claimable'
       AND (recipient_x_user_id = $1 OR (recipient_x_user_id IS NULL AND lower(recipient_handle) = lower($2)))
     ORDER BY seq FOR UPDATE`,
    [xUserId, xHandle],
  );
}

/** Up to `batch` holding payments due at `now`, locked; rows another process holds are skipped. */
export async function lockDue(tx: Queryable, now: Date, batch: number): Promise<PaymentRow[]> {
  return tx.query<Row<PaymentRow>>(
    `SELECT * FROM payments WHERE status IN ('awaiting_tweet', 'awaiting_confirmation', 'claimable') AND expires_at <= $1
     ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, batch],
  );
}

/**
 * The oldest `awaiting_tweet` payment of `payerId` a posted tweet fulfils (same amount, same recipient by
 * account, X user id or handle, not expired), locked.
 */
export async function lockAwaitingTweet(
  tx: Queryable,
  m: {
    payerId: string;
    amountCents: number;
    recipientId: string | null;
    recipientXUserId: string;
    recipientHandle: string;
    now: Date;
  },
): Promise<PaymentRow | undefined> {
  const [row] = await tx.query<Row<PaymentRow>>(
    `SELECT * FROM payments WHERE payer_id = $1 AND status = 'awaiting_tweet' AND amount_cents = $2
       AND tweet_id IS NULL AND expires_at > $5
       AND ((recipient_id IS NOT NULL AND recipient_id = $3)
         OR (recipient_id IS NULL AND (recipient_x_user_id = $4 OR lower(recipient_handle) = lower($6))))
     ORDER BY seq LIMIT 1 FOR UPDATE`,
    [m.payerId, m.amountCents, m.recipientId, m.recipientXUserId, m.now, m.recipientHandle],
  );
  return row;
}

/** Records the tweet that fulfils a payment, and the recipient's X user id it named. */
export async function attachTweet(
  tx: Queryable,
  id: string,
  t: { tweetId: string; tweetText: string; recipientXUserId: string; now: Date },
): Promise<void> {
  await tx.query(
    `UPDATE payments SET tweet_id = $2, tweet_text = $3, recipient_x_user_id = $4, updated_at = $5 WHERE id = $1`,
    [id, t.tweetId, t.tweetText, t.recipientXUserId, t.now],
  );
}

/** The `awaiting_confirmation` payment a tweet of this X user made, locked. */
export async function lockUnconfirmedByTweet(
  tx: Queryable,
  tweetId: string,
  xUserId: string,
): Promise<PaymentRow | undefined> {
  const [row] = await tx.query<Row<PaymentRow>>(
    `SELECT p.* FROM payments p JOIN accounts a ON a.id = p.payer_id
     WHERE p.tweet_id = $1 AND a.x_user_id = $2 AND p.status = 'awaiting_confirmation' FOR UPDATE OF p`,
    [tweetId, xUserId],
  );
  return row;
}

/** What `accountId` has in held or escrowed payments (its `heldCents`). */
export async function heldCents(q: Queryable, accountId: string): Promise<number> {
  const [held] = await q.query<{ held: number | null }>(
    `SELECT SUM(amount_cents) AS held FROM payments WHERE payer_id = $1
     AND status IN ('awaiting_tweet', 'awaiting_confirmation', 'claimable')`,
    [accountId],
  );
  return Number(held?.held ?? 0);
}

/** The sums the system accounts must carry: held, claimable, and the fees of completed payments. */
export async function paymentTotals(
  q: Queryable,
): Promise<{ held: number; claimable: number; fees: number }> {
  const [sums] = await q.query<{ held: number | null; claimable: number | null; fees: number | null }>(`
    SELECT
      SUM(amount_cents) FILTER (WHERE status IN ('awaiting_tweet', 'awaiting_confirmation')) AS held,
      SUM(amount_cents) FILTER (WHERE status = 'claimable') AS claimable,
      SUM(fee_cents) FILTER (WHERE status = 'completed') AS fees
    FROM payments`);
  return {
    held: Number(sums?.held ?? 0),
    claimable: Number(sums?.claimable ?? 0),
    fees: Number(sums?.fees ?? 0),
  };
}
