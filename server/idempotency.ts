/**
 * Idempotency-Key handling (docs/wallet-api.md "Conventions", SECURITY.md "Money"): keys are scoped
 * per account; the request hash covers method, path and the canonical JSON body. The key row is claimed
 * (committed, "in flight") before executing; the operation and its stored response commit together in
 * one transaction, so a crash never leaves a done operation without its response. A claim whose request
 * died (process killed) is taken over after IN_FLIGHT_STALE_MS. Expected errors (4xx) are stored and
 * replayed like successes; an unexpected error frees the key so the client can retry.
 * A new payment (server/payments/create.ts) needs no claim: its key, the payment and the answer are one statement.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from './db';
import type { Deps } from './deps';
import { ApiError, problem } from './errors';

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
