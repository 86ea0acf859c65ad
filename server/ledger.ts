import type { Db, Queryable } from './db';

/** System accounts (created by the first migration). Their balances are derived from transfers. */
export const SYSTEM = {
  settlement: 'sys_settlement',
  holds: 'sys_holds',
  escrow: 'sys_escrow',
  fees: 'sys_fees',
} as const;

export type TransferKind =
  'seed' | 'top_up' | 'hold' | 'release' | 'payment' | 'fee' | 'escrow' | 'claim' | 'refund';

export interface Leg {
  from: string;
  to: string;
  amountCents: number;
  kind: TransferKind;
}

/** A user account's available balance does not cover a debit. */
export class InsufficientFunds extends Error {
  constructor(readonly accountId: string) {
    super('insufficient funds');
  }
}

const isSystem = (id: string) => id.startsWith('sys_');

/**
 * Posts legs (each a transfer between two accounts) inside the caller's transaction. User balances move
 * by row-locking UPDATEs in account-id order (no deadlock between two payments), each debit conditional on
 * the balance covering it; on a shortfall nothing is written and InsufficientFunds is thrown.
 */
export async function post(tx: Queryable, legs: Leg[], paymentId: string | null, at: Date): Promise<void> {
  const delta = new Map<string, number>();
  for (const leg of legs) {
    if (!Number.isSafeInteger(leg.amountCents) || leg.amountCents < 0) throw new Error('bad transfer amount');
    if (leg.amountCents === 0) continue;
    if (!isSystem(leg.from)) delta.set(leg.from, (delta.get(leg.from) ?? 0) - leg.amountCents);
    if (!isSystem(leg.to)) delta.set(leg.to, (delta.get(leg.to) ?? 0) + leg.amountCents);
  }
  const ids = [...delta.keys()].sort();
  // Debits before credits would be simpler, but id order is what prevents deadlocks; a debit that fails
  // throws and the caller's transaction rolls the credits back.
  for (const id of ids) {
    const d = delta.get(id) ?? 0;
    if (d === 0) continue;
    const rows = await tx.query(
      d < 0
        ? `UPDATE accounts SET balance_cents = balance_cents + $2 WHERE id = $1 AND balance_cents >= -$2::bigint RETURNING id`
        : `UPDATE accounts SET balance_cents = balance_cents + $2 WHERE id = $1 RETURNING id`,
      [id, d],
    );
    if (rows.length === 0) {
      if (d < 0) throw new InsufficientFunds(id);
      throw new Error(`unknown account ${id}`);
    }
  }
  const real = legs.filter((l) => l.amountCents > 0);
  if (real.length === 0) return;
  const values: unknown[] = [];
  const tuples = real.map((l, i) => {
    values.push(l.from, l.to, l.amountCents, l.kind);
    const b = i * 4;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${real.length * 4 + 1}, $${real.length * 4 + 2})`;
  });
  values.push(paymentId, at);
  await tx.query(
    `INSERT INTO transfers (debit_account_id, credit_account_id, amount_cents, kind, payment_id, created_at)
     VALUES ${tuples.join(', ')}`,
    values,
  );
}

/**
 * Checks the ledger's invariants; returns the violations (empty when all hold):
 * every user balance equals its credits minus debits and is ≥ 0; the sum over all accounts is zero;
 * the holds account carries exactly the awaiting payments, escrow exactly the claimable ones, fee revenue
 * exactly the fees of completed payments.
 */
export async function checkInvariants(db: Queryable): Promise<string[]> {
  const problems: string[] = [];
  const rows = await db.query<{ id: string; kind: string; balance_cents: number; derived: number }>(`
    SELECT a.id, a.kind, a.balance_cents,
      COALESCE((SELECT SUM(amount_cents) FROM transfers WHERE credit_account_id = a.id), 0)
      - COALESCE((SELECT SUM(amount_cents) FROM transfers WHERE debit_account_id = a.id), 0) AS derived
    FROM accounts a`);
  let total = 0;
  const systemBalance: Record<string, number> = {};
  for (const r of rows) {
    const derived = Number(r.derived);
    const balance = Number(r.balance_cents);
    if (r.kind === 'system') {
      systemBalance[r.id] = derived;
      total += derived;
    } else {
      if (balance !== derived) problems.push(`account ${r.id}: balance ${balance} ≠ entries ${derived}`);
      if (balance < 0) problems.push(`account ${r.id}: negative balance ${balance}`);
      total += balance;
    }
  }
  if (total !== 0) problems.push(`sum over all accounts is ${total}, not 0`);
  const [sums] = await db.query<{ held: number | null; claimable: number | null; fees: number | null }>(`
    SELECT
      SUM(amount_cents) FILTER (WHERE status IN ('awaiting_tweet', 'awaiting_confirmation')) AS held,
      SUM(amount_cents) FILTER (WHERE status = 'claimable') AS claimable,
      SUM(fee_cents) FILTER (WHERE status = 'completed') AS fees
    FROM payments`);
  const expect = (id: string, want: number, what: string) => {
    const got = systemBalance[id] ?? 0;
    if (got !== want) problems.push(`${id} holds ${got}, ${what} sum to ${want}`);
  };
  expect(SYSTEM.holds, Number(sums?.held ?? 0), 'awaiting payments');
  expect(SYSTEM.escrow, Number(sums?.claimable ?? 0), 'claimable payments');
  expect(SYSTEM.fees, Number(sums?.fees ?? 0), 'fees of completed payments');
  return problems;
}

/** Convenience for tests and scripts: throws with every violation listed. */
export async function assertInvariants(db: Db): Promise<void> {
  const problems = await checkInvariants(db);
  if (problems.length) throw new Error(`ledger invariants violated:\n${problems.join('\n')}`);
}
