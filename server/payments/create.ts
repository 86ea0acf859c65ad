/**
 * POST /v1/payments in one statement: the Idempotency-Key (server/idempotency.ts for how keys work), the new
 * payment, its ledger legs and the stored answer are written together by `create_payment_once()` (migrations 3
 * and 4 of server/db/migrations.ts), or nothing is.
 */
import type { Deps } from '../deps';
import { ApiError, problem } from '../errors';
import { IN_FLIGHT_STALE_MS, requestHash, type StoredResponse } from '../idempotency';
import { postingArgs } from '../ledger';
import type { PlannedPayment } from './plan';
import { toPaymentRow } from './row';

interface OnceRow {
  /** stored: the answer given; refused: the insufficient-funds answer given instead; exists; in_flight. */
  outcome: 'in_flight' | 'exists' | 'stored' | 'refused';
  request_hash: string | null;
  status_code: number | null;
  response_body: string | null;
}

/**
 * POST /v1/payments, idempotent, in one statement (`create_payment_once()`) and so in one round
 * trip and one transaction: the key is stored already answered, together with the payment and its legs, or
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
  const [row] = await deps.db.query<OnceRow & Record<string, unknown>>(
    `SELECT * FROM create_payment_once($1, $2, $3, $4, $5, $6, $7, $8::jsonb,
       $9::text[], $10::bigint[], $11::text[], $12::text[], $13::bigint[], $14::text[], $15, $16)`,
    [
      accountId,
      key,
      hash,
      now,
      new Date(now.getTime() - IN_FLIGHT_STALE_MS),
      res.status,
      JSON.stringify(res.body),
      planned ? JSON.stringify(toPaymentRow(planned.row)) : null, // Dates → ISO strings
      ...(planned ? (postingArgs(planned.legs) ?? EMPTY_POSTING) : EMPTY_POSTING),
      short.status,
      JSON.stringify(short.body),
    ],
  );
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
