/**
 * POST /v1/payments in one statement: the Idempotency-Key (server/idempotency.ts for how keys work), the new
 * payment, its ledger legs and the stored answer are written together by `create_payment_once()` (migrations 3
 * and 4 of server/db/migrations.ts), or nothing is.
 */
import type { Db } from '../db';
import type { Deps } from '../deps';
import { ApiError, problem } from '../errors';
import { IN_FLIGHT_STALE_MS, requestHash, type StoredResponse } from '../idempotency';
import { postingArgs } from '../ledger';
import type { PaymentWrite, WriteOutcome } from './batch';
import type { PlannedPayment } from './plan';
import { toPaymentRow } from './row';

/**
 * POST /v1/payments, idempotent, in one statement (`create_payment_once()`, or one item of the next group
 * commit, `create_payments_batch()`: server/payments/batch.ts) and so in one round trip and one transaction: the key is stored already answered, together with the payment and its legs, or
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
  // since the plan read it, the statement stores the refusal SHORT instead, in the same transaction (never a
  // second call: see migration 4).
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
    shortStatus: SHORT.status,
    shortBody: SHORT_BODY,
  };
  // With a batcher, this payment joins the next group commit: same outcomes, one statement for several.
  const row = deps.batcher ? await deps.batcher.write(write) : await writeOnce(deps.db, write);
  if (!row) throw new Error('create_payment_once returned no row');
  if (row.outcome === 'refused') return { status: SHORT.status, body: SHORT };
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

/** The refusal stored when the statement finds the balance short (made once: no Error and its stack per payment). */
const SHORT = problem('insufficient_funds', 'Your available balance does not cover this payment.');
const SHORT_BODY = JSON.stringify(SHORT);

const EMPTY_POSTING: [string[], number[], string[], string[], number[], string[]] = [[], [], [], [], [], []];

/** One payment alone, in its own statement (group commit off). */
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
