import type { Db, Queryable } from './db';
import { pgCode } from './db/types';
import { paymentTotals } from './payments/store';

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

/** The arguments of `post_transfers()` for `legs`, or undefined when they move nothing. */
export function postingArgs(
  legs: Leg[],
): [string[], number[], string[], string[], number[], string[]] | undefined {
  const delta = new Map<string, number>();
  for (const leg of legs) {
    if (!Number.isSafeInteger(leg.amountCents) || leg.amountCents < 0) throw new Error('bad transfer amount');
    if (leg.amountCents === 0) continue;
    if (!isSystem(leg.from)) delta.set(leg.from, (delta.get(leg.from) ?? 0) - leg.amountCents);
    if (!isSystem(leg.to)) delta.set(leg.to, (delta.get(leg.to) ?? 0) + leg.amountCents);
  }
  // User balances move in account-id order (no deadlock between two postings).
  const ids = [...delta.keys()].filter((id) => delta.get(id) !== 0).sort();
  const real = legs.filter((l) => l.amountCents > 0);
  if (ids.length === 0 && real.length === 0) return undefined;
  return [
    ids,
    ids.map((id) => delta.get(id) ?? 0),
    real.map((l) => l.from),
    real.map((l) => l.to),
    real.map((l) => l.amountCents),
    real.map((l) => l.kind),
  ];
}

/** The InsufficientFunds a failed `post_transfers()` stands for, if that was its failure. */
export function insufficientFunds(err: unknown): InsufficientFunds | undefined {
  if (pgCode(err) !== 'WL001') return undefined;
  const detail = (err as { detail?: unknown }).detail;
  return new InsufficientFunds(typeof detail === 'string' ? detail : '');
}

/**
 * Posts legs (each a transfer between two accounts) inside the caller's transaction, in one statement
 * (`post_transfers()`, migration 2): user balances by row-locking UPDATEs in account-id order, each debit
 * conditional on the balance covering it, then the transfers; on a shortfall nothing is written and
 * InsufficientFunds is thrown.
 */
export async function post(tx: Queryable, legs: Leg[], paymentId: string | null, at: Date): Promise<void> {
  const args = postingArgs(legs);
  if (!args) return;
  try {
    await tx.query(
      `SELECT post_transfers($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7, $8)`,
      [...args, paymentId, at],
    );
  } catch (err) {
    throw insufficientFunds(err) ?? err;
  }
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
  const sums = await paymentTotals(db);
  const expect = (id: string, want: number, what: string) => {
    const got = systemBalance[id] ?? 0;
    if (got !== want) problems.push(`${id} holds ${got}, ${what} sum to ${want}`);
  };
  expect(SYSTEM.holds, sums.held, 'awaiting payments');
  expect(SYSTEM.escrow, sums.claimable, 'claimable payments');
  expect(SYSTEM.fees, sums.fees, 'fees of completed payments');
  return problems;
}

/** Convenience for tests and scripts: throws with every violation listed. */
export async function assertInvariants(db: Db): Promise<void> {
  const problems = await checkInvariants(db);
  if (problems.length) throw new Error(`ledger invariants violated:\n${problems.join('\n')}`);
}
