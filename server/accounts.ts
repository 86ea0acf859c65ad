import { randomUUID } from 'node:crypto';
import { DEFAULT_BUSINESS_FEE_BPS } from '../core/rules';
import type { AccountKind, Me } from '../core/wallet-types';
import type { Queryable } from './db';
import { uniqueViolation } from './db/types';
import { ApiError } from './errors';
import { SYSTEM, post } from './ledger';
import { heldCents } from './payments/store';

export interface AccountRow {
  id: string;
  kind: AccountKind;
  email: string;
  password_hash: string;
  display_name: string;
  x_handle: string | null;
  x_user_id: string | null;
  fee_bps: number | null;
  balance_cents: number;
  /** A refunded card top-up left a shortfall: payments out are refused until the operator lifts it. */
  on_hold: boolean;
}

export const HELD_STATUSES = ['awaiting_tweet', 'awaiting_confirmation', 'claimable'] as const;

export async function getAccount(q: Queryable, id: string): Promise<AccountRow> {
  const [row] = await q.query<AccountRow & Record<string, unknown>>(
    `SELECT * FROM accounts WHERE id = $1 AND kind <> 'system'`,
    [id],
  );
  if (!row) throw new ApiError('unauthorized', 'This account no longer exists.');
  return row;
}

/** What a payment needs to know of its payer and its recipient (no secrets, no balance). */
export type Party = Pick<
  AccountRow,
  'id' | 'kind' | 'display_name' | 'x_handle' | 'x_user_id' | 'fee_bps' | 'on_hold'
>;

/**
 * The payer and the account of `handle` (if any) in one statement, with only the columns a payment needs: one
 * round trip, and on PGlite a third of the time of `SELECT *` (measured: 0.83 → 0.55 ms).
 */
export async function getPayerAndRecipient(q: Queryable, payerId: string, handle: string): Promise<Parties> {
  const rows = await q.query<Party & { by_handle: boolean } & Record<string, unknown>>(
    `SELECT id, kind, display_name, x_handle, x_user_id, fee_bps, on_hold,
       lower(x_handle) IS NOT DISTINCT FROM lower($2) AS by_handle FROM accounts
     WHERE (id = $1 OR lower(x_handle) = lower($2)) AND kind <> 'system'`,
    [payerId, handle],
  );
  return partiesOf(rows, payerId);
}

export interface Parties {
  payer: Party;
  recipient: Party | undefined;
}

/** The payer and the recipient among the accounts found by id or by handle (`by_handle`). */
export function partiesOf(rows: (Party & { by_handle: boolean })[], payerId: string): Parties {
  const strip = ({ id, kind, display_name, x_handle, x_user_id, fee_bps, on_hold }: Party): Party => ({
    id,
    kind,
    display_name,
    x_handle,
    x_user_id,
    fee_bps,
    on_hold,
  });
  const payer = rows.find((r) => r.id === payerId);
  if (!payer) throw new ApiError('unauthorized', 'This account no longer exists.');
  const recipient = rows.find((r) => r.by_handle === true);
  return { payer: strip(payer), recipient: recipient && strip(recipient) };
}

export async function findByHandle(q: Queryable, handle: string): Promise<AccountRow | undefined> {
  const [row] = await q.query<AccountRow & Record<string, unknown>>(
    `SELECT * FROM accounts WHERE lower(x_handle) = lower($1) AND kind <> 'system'`,
    [handle],
  );
  return row;
}

export async function findByXUserId(q: Queryable, xUserId: string): Promise<AccountRow | undefined> {
  const [row] = await q.query<AccountRow & Record<string, unknown>>(
    `SELECT * FROM accounts WHERE x_user_id = $1 AND kind <> 'system'`,
    [xUserId],
  );
  return row;
}

export async function toMe(q: Queryable, a: AccountRow): Promise<Me> {
  return {
    id: a.id,
    email: a.email,
    displayName: a.display_name,
    kind: a.kind,
    xHandle: a.x_handle,
    xUserId: a.x_user_id,
    balance: { availableCents: Number(a.balance_cents), heldCents: await heldCents(q, a.id) },
    currency: 'EUR',
    ...(a.on_hold ? { onHold: true } : {}),
  };
}

export interface NewAccount {
  email: string;
  /** From hashPassword(), computed before the transaction (scrypt is slow on purpose). */
  passwordHash: string;
  displayName: string;
  kind?: AccountKind;
  xHandle?: string | null;
  xUserId?: string | null;
  feeBps?: number | null;
  balanceCents?: number;
}

/** Creates a user account (and credits its opening balance from settlement, for seeds). */
export async function createAccount(tx: Queryable, input: NewAccount, now: Date): Promise<AccountRow> {
  const id = randomUUID();
  const kind = input.kind ?? 'person';
  const feeBps = kind === 'business' ? (input.feeBps ?? DEFAULT_BUSINESS_FEE_BPS) : null;
  try {
    await tx.query(
      `INSERT INTO accounts (id, kind, email, password_hash, display_name, x_handle, x_user_id, fee_bps, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        kind,
        input.email.trim().toLowerCase(),
        input.passwordHash,
        input.displayName.trim(),
        input.xHandle ?? null,
        input.xUserId ?? null,
        feeBps,
        now,
      ],
    );
  } catch (err) {
    const c = uniqueViolation(err);
    if (c !== undefined) {
      const what = c.includes('email') ? 'email address' : 'X account';
      throw new ApiError('conflict', `An account with this ${what} already exists.`);
    }
    throw err;
  }
  if (input.balanceCents) {
    await post(
      tx,
      [{ from: SYSTEM.settlement, to: id, amountCents: input.balanceCents, kind: 'seed' }],
      null,
      now,
    );
  }
  return getAccount(tx, id);
}

/** Unlinks the X account `xUserId` from its wallet account (its owner revoked our X app); returns that account's id. */
export async function unlinkXUser(q: Queryable, xUserId: string): Promise<string | undefined> {
  const [row] = await q.query<{ id: string }>(
    `UPDATE accounts SET x_handle = NULL, x_user_id = NULL WHERE x_user_id = $1 AND kind <> 'system' RETURNING id`,
    [xUserId],
  );
  return row?.id;
}
