/**
 * Idempotency-Key handling (shared/wallet-api.md, research/wallet-security.md §3.10–13): keys are scoped
 * per account; the request hash covers method, path and the canonical JSON body. The key row is claimed
 * (committed, "in flight") before executing; the operation and its stored response commit together in
 * one transaction, so a crash never leaves a done operation without its response. A claim whose request
 * died (process killed) is taken over after IN_FLIGHT_STALE_MS. Expected errors (4xx) are stored and
 * replayed like successes; an unexpected error frees the key so the client can retry.
 * A new payment (`createPaymentOnce`) needs no claim: its key, the payment and the answer are one statement.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from './db';
import type { Deps } from './deps';
import { ApiError, problem } from './errors';
import { postingArgs } from './ledger';
import { toPaymentRow, type PlannedPayment } from './payments';
import type { PaymentWrite, WriteOutcome } from './payments/batch';

export const IN_FLIGHT_STALE_MS = 60_000;
export const KEEP_KEYS_MS = 48 * 3600_000;

export interface StoredResponse {
  status: number;
  body: unknown;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed?: boolean;
}

/** JSON with object keys sorted, so key order never makes two equal bodies differ. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** What identifies a request under its key: method, path and the canonical JSON body. */
export function requestHash(input: { method: string; path: string; body: unknown }): string {
  return createHash('sha256')
    .update(`${input.method} ${input.path}\n${canonicalJson(input.body)}`)
    .digest('base64url');
}

export async function idempotent(
  deps: Deps,
  input: { accountId: string; key: string; method: string; path: string; body: unknown },
  exec: (tx: Queryable) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  const { accountId, key } = input;
  const hash = requestHash(input);
  const now = deps.clock();
  const claimed = await deps.db.query(
    `INSERT INTO idempotency_keys (account_id, key, request_hash, locked_at, created_at)
     VALUES ($1, $2, $3, $4, $4) ON CONFLICT (account_id, key) DO NOTHING RETURNING key`,
    [accountId, key, hash, now],
  );
  if (claimed.length === 0) {
    const [row] = await deps.db.query<{
      request_hash: string;
      status_code: number | null;
      response_body: string | null;
      locked_at: Date;
    }>(
      `SELECT request_hash, status_code, response_body, locked_at FROM idempotency_keys WHERE account_id = $1 AND key = $2`,
      [accountId, key],
    );
    if (!row) throw new ApiError('idempotency_in_flight', 'This Idempotency-Key is being released; retry.');
    if (row.request_hash !== hash) {
      throw new ApiError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request; use a new key.',
      );
    }
    if (row.status_code !== null) {
      return { status: row.status_code, body: JSON.parse(row.response_body ?? 'null'), replayed: true };
    }
    const stale = now.getTime() - new Date(row.locked_at).getTime() > IN_FLIGHT_STALE_MS;
    const taken =
      stale &&
      (
        await deps.db.query(
          `UPDATE idempotency_keys SET locked_at = $3 WHERE account_id = $1 AND key = $2 AND status_code IS NULL
           AND locked_at = $4 RETURNING key`,
          [accountId, key, now, row.locked_at],
        )
      ).length === 1;
    if (!taken) {
      throw new ApiError(
        'idempotency_in_flight',
        'A request with this Idempotency-Key is still running; retry later.',
        {
          'retry-after': '1',
        },
      );
    }
  }
  const save = (tx: Queryable, res: StoredResponse) =>
    tx.query(
      `UPDATE idempotency_keys SET status_code = $3, response_body = $4 WHERE account_id = $1 AND key = $2`,
      [accountId, key, res.status, JSON.stringify(res.body)],
    );
  try {
    if (deps.beforeExecute) await deps.beforeExecute(key);
    return await deps.db.transaction(async (tx) => {
      const res = await exec(tx);
      await save(tx, res);
      return res;
    });
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) {
      const res = { status: err.status, body: problem(err.code, err.detail) };
      await save(deps.db, res);
      return res;
    }
    // Free the key for the client's retry. The failure may be the database connection itself (a backend
    // terminated, a failover): try a few times, else the key stays claimed until IN_FLIGHT_STALE_MS.
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await deps.db.query(
          `DELETE FROM idempotency_keys WHERE account_id = $1 AND key = $2 AND status_code IS NULL`,
          [accountId, key],
        );
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
    throw err;
  }
}

/**
 * On PGlite one process owns the database, so a key still claimed without an answer when the server starts
 * belongs to a request that died with an earlier process (kill -9, crash, power loss): its operation never
 * committed (it commits together with its answer). Freeing it lets the client's retry run at once instead
 * of getting 409 for IN_FLIGHT_STALE_MS. Not on PostgreSQL: other live processes may own those claims.
 */
export async function releaseOrphanClaims(db: Db): Promise<number> {
  if (db.kind !== 'pglite') return 0;
  const rows = await db.query(`DELETE FROM idempotency_keys WHERE status_code IS NULL RETURNING key`);
  return rows.length;
}

/**
 * POST /v1/payments, idempotent, in one statement (`create_payment_once()`, migrations 3 and 4, or one item of
 * the next group commit, `create_payments_batch()`, migration 5) and so in one round trip and one transaction: the key is stored already answered, together with the payment and its legs, or
 * nothing is written. `plan` decides (reading what it needs) and throws an ApiError for a refusal, which is
 * stored under the key like a success. A key already stored is replayed (same request) or refused (another
 * request); a key whose request is running at this moment answers 409 idempotency_in_flight.
 */
export async function createPaymentOnce(
  deps: Deps,
  input: { accountId: string; key: string; method: string; path: string; body: unknown },
  plan: () => Promise<PlannedPayment>,
): Promise<StoredResponse> {
  const { accountId, key } = input;
  const hash = requestHash(input);
  const now = deps.clock();
  const refusal = (err: ApiError): StoredResponse => ({
    status: err.status,
    body: problem(err.code, err.detail),
  });
  let planned: PlannedPayment | undefined;
  let res: StoredResponse;
  try {
    planned = await plan();
    res = { status: 201, body: planned.payment };
  } catch (err) {
    // A refusal is stored under the key; a lost account (401) or a failure is not.
    if (!(err instanceof ApiError && err.status < 500 && err.status !== 401)) throw err;
    res = refusal(err);
  }
  if (deps.beforeExecute) await deps.beforeExecute(key);
  // The balance is checked again inside the statement: when another payment of the same payer took the money
  // since the plan read it, the statement stores this refusal instead, in the same transaction (never a second
  // call: see migration 4).
  const short = refusal(
    new ApiError('insufficient_funds', 'Your available balance does not cover this payment.'),
  );
  const [accounts, deltas, debits, credits, amounts, kinds] = planned
    ? (postingArgs(planned.legs) ?? EMPTY_POSTING)
    : EMPTY_POSTING;
  const write: PaymentWrite = {
    account: accountId,
    key,
    hash,
    at: now,
    staleBefore: new Date(now.getTime() - IN_FLIGHT_STALE_MS),
    status: res.status,
    body: JSON.stringify(res.body),
    payment: planned ? toPaymentRow(planned.row) : null,
    accounts,
    deltas,
    debits,
    credits,
    amounts,
    kinds,
    shortStatus: short.status,
    shortBody: JSON.stringify(short.body),
  };
  // With a batcher, this call joins the next group commit (server/payments/batch.ts): same outcomes.
  const row = deps.batcher ? await deps.batcher.write(write) : await writeOnce(deps.db, write);
  if (!row) throw new Error('create_payment_once returned no row');
  if (row.outcome === 'refused') return short;
  if (row.outcome === 'stored') return res;
  if (row.outcome === 'exists' && row.request_hash !== hash) {
    throw new ApiError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request; use a new key.',
    );
  }
  if (row.outcome === 'exists' && row.status_code !== null) {
    return { status: row.status_code, body: JSON.parse(row.response_body ?? 'null'), replayed: true };
  }
  throw new ApiError(
    'idempotency_in_flight',
    'A request with this Idempotency-Key is still running; retry later.',
    {
      'retry-after': '1',
    },
  );
}

const EMPTY_POSTING: [string[], number[], string[], string[], number[], string[]] = [[], [], [], [], [], []];

/** One payment alone, in its own statement (batching off). */
async function writeOnce(db: Db, w: PaymentWrite): Promise<WriteOutcome | undefined> {
  const [row] = await db.query<WriteOutcome & Record<string, unknown>>(
    `SELECT * FROM create_payment_once($1, $2, $3, $4, $5, $6, $7, $8::jsonb,
       $9::text[], $10::bigint[], $11::text[], $12::text[], $13::bigint[], $14::text[], $15, $16)`,
    [
      w.account,
      w.key,
      w.hash,
      w.at,
      w.staleBefore,
      w.status,
      w.body,
      w.payment ? JSON.stringify(w.payment) : null, // Dates → ISO strings
      w.accounts,
      w.deltas,
      w.debits,
      w.credits,
      w.amounts,
      w.kinds,
      w.shortStatus,
      w.shortBody,
    ],
  );
  return row;
}
