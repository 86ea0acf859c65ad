/**
 * Card top-ups through Stripe Checkout, in the ledger. A top-up is created `pending` with the Checkout Session
 * that pays it; only Stripe's signed events move it on:
 *
 * - `checkout.session.completed` (paid) / `checkout.session.async_payment_succeeded`: credit the wallet from
 *   the funding account, once — the row is locked and must still be `pending`, so a redelivered or late event
 *   changes nothing. A refund seen before (events out of order) is deducted from what is credited.
 * - `checkout.session.async_payment_failed` → `failed`; `checkout.session.expired` → `expired`: nothing credited.
 * - `charge.refunded`: `amount_refunded` is cumulative, so only its growth is taken back (a duplicate or an older
 *   event takes nothing). What the wallet still holds goes back to the funding account; what it no longer holds
 *   (already paid on) is recorded as a shortfall and the wallet is put on hold. A balance never goes negative.
 *
 * Every event id is recorded in `stripe_events` in the same transaction as its effect.
 */
import { randomUUID } from 'node:crypto';
import type { TopUp, TopUpStatus } from '../core/wallet-types';
import type { Queryable } from './db';
import type { Deps } from './deps';
import { post, SYSTEM } from './ledger';

export interface TopUpRow {
  id: string;
  account_id: string;
  idempotency_key: string;
  amount_cents: number;
  status: TopUpStatus;
  checkout_session_id: string | null;
  checkout_url: string | null;
  payment_intent_id: string | null;
  credited_cents: number;
  refunded_cents: number;
  reclaimed_cents: number;
  shortfall_cents: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export function toTopUp(r: TopUpRow): TopUp {
  return {
    id: r.id,
    amountCents: Number(r.amount_cents),
    currency: 'EUR',
    status: r.status,
    refundedCents: Number(r.refunded_cents),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** The caller's top-up for this Idempotency-Key, created `pending` when new. */
export async function claimTopUp(
  q: Queryable,
  accountId: string,
  key: string,
  amountCents: number,
  now: Date,
): Promise<{ row: TopUpRow; created: boolean }> {
  const inserted = await q.query<TopUpRow & Record<string, unknown>>(
    `INSERT INTO top_ups (id, account_id, idempotency_key, amount_cents, status, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'pending', $5, $5)
     ON CONFLICT (account_id, idempotency_key) DO NOTHING RETURNING *`,
    [`tu_${randomUUID()}`, accountId, key, amountCents, now],
  );
  if (inserted[0]) return { row: inserted[0], created: true };
  const [row] = await q.query<TopUpRow & Record<string, unknown>>(
    `SELECT * FROM top_ups WHERE account_id = $1 AND idempotency_key = $2`,
    [accountId, key],
  );
  if (!row) throw new Error('top-up vanished');
  return { row, created: false };
}

/** Records the Checkout Session that pays a top-up (the same one on a retry: Stripe's idempotency key). */
export async function attachSession(
  q: Queryable,
  id: string,
  sessionId: string,
  url: string,
  now: Date,
): Promise<TopUpRow> {
  const [row] = await q.query<TopUpRow & Record<string, unknown>>(
    `UPDATE top_ups SET checkout_session_id = $2, checkout_url = $3, updated_at = $4 WHERE id = $1 RETURNING *`,
    [id, sessionId, url, now],
  );
  if (!row) throw new Error('top-up vanished');
  return row;
}

export async function listTopUps(q: Queryable, accountId: string, limit: number): Promise<TopUp[]> {
  const rows = await q.query<TopUpRow & Record<string, unknown>>(
    `SELECT * FROM top_ups WHERE account_id = $1 AND checkout_session_id IS NOT NULL
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    [accountId, limit],
  );
  return rows.map(toTopUp);
}

/** What a Stripe event asks of the ledger, reduced to what this module reads. */
export type TopUpEvent =
  | {
      kind: 'paid';
      sessionId: string;
      topUpId: string | null;
      amountTotal: number | null;
      currency: string | null;
      paymentIntentId: string | null;
    }
  | { kind: 'failed' | 'expired'; sessionId: string }
  | {
      kind: 'refunded';
      paymentIntentId: string | null;
      topUpId: string | null;
      /** The Checkout Session of the payment, when it had to be asked of Stripe (see the webhook route). */
      sessionId?: string | null;
      amountRefunded: number;
    };

export type EventOutcome =
  | 'duplicate'
  | 'unknown'
  | 'credited'
  | 'failed'
  | 'expired'
  | 'refund_applied'
  | 'refund_recorded'
  | 'mismatch'
  | 'unchanged';

async function lockBySession(tx: Queryable, sessionId: string): Promise<TopUpRow | undefined> {
  const [row] = await tx.query<TopUpRow & Record<string, unknown>>(
    `SELECT * FROM top_ups WHERE checkout_session_id = $1 FOR UPDATE`,
    [sessionId],
  );
  return row;
}

async function lockForRefund(
  tx: Queryable,
  topUpId: string | null,
  paymentIntentId: string | null,
  sessionId: string | null,
): Promise<TopUpRow | undefined> {
  if (topUpId) {
    const [row] = await tx.query<TopUpRow & Record<string, unknown>>(
      `SELECT * FROM top_ups WHERE id = $1 FOR UPDATE`,
      [topUpId],
    );
    if (row) return row;
  }
  if (paymentIntentId) {
    const [row] = await tx.query<TopUpRow & Record<string, unknown>>(
      `SELECT * FROM top_ups WHERE payment_intent_id = $1 FOR UPDATE`,
      [paymentIntentId],
    );
    if (row) return row;
  }
  return sessionId ? lockBySession(tx, sessionId) : undefined;
}

/** True when a top-up already knows this PaymentIntent (its payment was credited). */
export async function knowsPaymentIntent(q: Queryable, paymentIntentId: string): Promise<boolean> {
  const rows = await q.query(`SELECT 1 FROM top_ups WHERE payment_intent_id = $1`, [paymentIntentId]);
  return rows.length > 0;
}

/**
 * Applies one verified Stripe event to the ledger, exactly once per event id, in one transaction.
 * Returns what it did (for the log and the tests).
 */
export async function applyTopUpEvent(
  deps: Deps,
  eventId: string,
  eventType: string,
  event: TopUpEvent,
): Promise<{ outcome: EventOutcome; accountId?: string; shortfallCents?: number }> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const fresh = await tx.query(
      `INSERT INTO stripe_events (id, type, received_at) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [eventId, eventType, now],
    );
    if (fresh.length === 0) return { outcome: 'duplicate' as const };

    const row =
      event.kind === 'refunded'
        ? await lockForRefund(tx, event.topUpId, event.paymentIntentId, event.sessionId ?? null)
        : await lockBySession(tx, event.sessionId);
    if (!row) return { outcome: 'unknown' as const };
    await tx.query(`UPDATE stripe_events SET top_up_id = $2 WHERE id = $1`, [eventId, row.id]);
    const amount = Number(row.amount_cents);

    if (event.kind === 'failed' || event.kind === 'expired') {
      if (row.status !== 'pending') return { outcome: 'unchanged' as const, accountId: row.account_id };
      await tx.query(`UPDATE top_ups SET status = $2, updated_at = $3 WHERE id = $1`, [
        row.id,
        event.kind,
        now,
      ]);
      return { outcome: event.kind, accountId: row.account_id };
    }

    if (event.kind === 'paid') {
      if (row.status !== 'pending') return { outcome: 'unchanged' as const, accountId: row.account_id };
      // The session must be the one created for this top-up, for its amount, in euros.
      if (
        (event.topUpId !== null && event.topUpId !== row.id) ||
        event.amountTotal !== amount ||
        (event.currency ?? '').toLowerCase() !== 'eur'
      ) {
        deps.log.error('stripe session does not match its top-up', {
          topUpId: row.id,
          amountTotal: event.amountTotal,
          currency: event.currency,
        });
        return { outcome: 'mismatch' as const, accountId: row.account_id };
      }
      // A refund that arrived first (events out of order) is already owed back: credit only the rest.
      const credit = amount - Number(row.refunded_cents);
      await post(
        tx,
        [{ from: SYSTEM.funding, to: row.account_id, amountCents: credit, kind: 'top_up' }],
        null,
        now,
      );
      await tx.query(
        `UPDATE top_ups SET status = $2, credited_cents = $3, payment_intent_id = COALESCE($4, payment_intent_id),
           updated_at = $5 WHERE id = $1`,
        [row.id, credit === 0 ? 'refunded' : 'credited', credit, event.paymentIntentId, now],
      );
      return { outcome: 'credited' as const, accountId: row.account_id };
    }

    // charge.refunded: take back only the growth of the cumulative refunded amount.
    if (event.kind !== 'refunded') return { outcome: 'unchanged' as const };
    const target = Math.min(Math.max(0, event.amountRefunded), amount);
    const delta = target - Number(row.refunded_cents);
    if (delta <= 0) return { outcome: 'unchanged' as const, accountId: row.account_id };
    if (row.status !== 'credited') {
      // Not credited yet (or never will be): record it; a later credit deducts it.
      await tx.query(`UPDATE top_ups SET refunded_cents = $2, updated_at = $3 WHERE id = $1`, [
        row.id,
        target,
        now,
      ]);
      return { outcome: 'refund_recorded' as const, accountId: row.account_id };
    }
    const [acct] = await tx.query<{ balance_cents: number }>(
      `SELECT balance_cents FROM accounts WHERE id = $1 FOR UPDATE`,
      [row.account_id],
    );
    const take = Math.min(delta, Number(acct?.balance_cents ?? 0));
    const shortfall = delta - take;
    await post(
      tx,
      [{ from: row.account_id, to: SYSTEM.funding, amountCents: take, kind: 'top_up_refund' }],
      null,
      now,
    );
    await tx.query(
      `UPDATE top_ups SET refunded_cents = $2, reclaimed_cents = reclaimed_cents + $3,
         shortfall_cents = shortfall_cents + $4, status = CASE WHEN $2 >= amount_cents THEN 'refunded' ELSE status END,
         updated_at = $5 WHERE id = $1`,
      [row.id, target, take, shortfall, now],
    );
    if (shortfall > 0) {
      await tx.query(`UPDATE accounts SET on_hold = true WHERE id = $1`, [row.account_id]);
      deps.log.error('refunded top-up left a shortfall; wallet put on hold', {
        topUpId: row.id,
        accountId: row.account_id,
        shortfallCents: shortfall,
      });
    }
    return { outcome: 'refund_applied' as const, accountId: row.account_id, shortfallCents: shortfall };
  });
}
