/**
 * The transitions of a payment after it was made, with their ledger legs. Every function runs inside the
 * caller's transaction and locks the payment row (FOR UPDATE) before changing it, so a transition happens once.
 */
import type { PaymentStatus, WalletConfig } from '../../core/wallet-types';
import { findByXUserId, getAccount, type AccountRow } from '../accounts';
import type { Queryable } from '../db';
import { ApiError } from '../errors';
import { post, SYSTEM } from '../ledger';
import { payLegs } from './plan';
import { days, type PaymentRow } from './row';
import { lockClaimable, lockDue, lockPayment, setStatus, visiblePayment } from './store';
import { enqueueReply } from '../x/outbox';

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
  const rows = await lockClaimable(tx, account.x_user_id, account.x_handle);
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
  const rows = await lockDue(tx, now, batch);
  for (const p of rows) {
    if (p.status === 'claimable') await release(tx, p, now, 'refunded', 'unclaimed');
    else await release(tx, p, now, 'canceled', 'expired');
  }
  return rows.length;
}
