/**
 * Group commit for new payments. `POST /v1/payments` writes its payment, legs and stored answer with one
 * `create_payment_once()` call; with a batcher, the calls that arrive while a batch is being written wait in a
 * queue and go together in the next batch, in one statement (one round trip and one commit) for up to `max`
 * payments. Each payment keeps its own outcome (stored, refused for
 * insufficient funds, key exists, key in flight); one that fails for an unexpected reason fails alone.
 *
 * The classic leader pattern, without timers: when nothing is being written, a payment goes out at once (a
 * batch of one, no added latency when idle: it only lets the current event-loop turn finish, so that requests
 * that arrived together go together); while a batch is in flight, what arrives queues; when it commits, the
 * queue (up to `max`) is the next batch. One batch at a time, in the order the payments were
 * queued, so two payments of the same payer are written in the order they were accepted.
 *
 * A batch is first offered to `create_payments_set()` (migration 10): when every key is new and free, it walks
 * the locked balances in the batch's order (each item stored, or refused for insufficient funds, as item by item)
 * and writes the whole batch set-wise (one INSERT per table, one UPDATE of the balances). Otherwise it writes
 * nothing and says why, and the batch goes item by item through `create_payments_batch()` (server/README.md).
 *
 * A 2xx still means committed: a payment's promise settles only after its batch's statement returned, which
 * is after its commit. A statement that fails (after the database layer's retries of serialization failures
 * and deadlocks) fails every payment of its batch and stores nothing: each request answers 500 and its key
 * stays free for the client's retry, as with a single call.
 */
import { partiesOf, type Parties, type Party } from '../accounts';
import type { Db } from '../db';

/** One `create_payment_once()` call, as data (the JSON item of `create_payments_batch()`). */
export interface PaymentWrite {
  account: string;
  key: string;
  hash: string;
  at: Date;
  staleBefore: Date;
  status: number;
  /** The stored answer's JSON text. */
  body: string;
  /** The payment row (`toPaymentRow`), or null for a refusal decided before the statement. */
  payment: object | null;
  accounts: string[];
  deltas: number[];
  debits: string[];
  credits: string[];
  amounts: number[];
  kinds: string[];
  shortStatus: number;
  shortBody: string;
}

/** What `create_payment_once()` answered for one payment. */
export interface WriteOutcome {
  outcome: 'in_flight' | 'exists' | 'stored' | 'refused';
  request_hash: string | null;
  status_code: number | null;
  response_body: string | null;
}

export interface BatcherOptions {
  /** Most payments in one statement (default 32). */
  max?: number;
  /**
   * Test seam: awaited before each batch is written, with its size. Holding it holds the writer, so the
   * payments that arrive meanwhile queue for the next batch.
   */
  beforeWrite?: (size: number) => Promise<void>;
  /** Test seam: called when a payment joins the queue, with the queue's length. */
  queued?: (length: number) => void;
}

type BatchRow = WriteOutcome & { item: number } & Record<string, unknown>;

/**
 * The leader pattern over a queue: `add` runs at once when nothing runs (after the current event-loop turn);
 * what is added while a group runs waits and forms the next group (up to `max`), in the order added. `run` settles each item of
 * its group: a value, or an Error for that item alone; when `run` throws, every item of its group fails.
 */
class Coalescer<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (err: unknown) => void }[] = [];
  private running = false;

  constructor(
    readonly max: number,
    private readonly run: (items: I[]) => Promise<(O | Error)[]>,
    private readonly queued?: (length: number) => void,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.queued?.(this.queue.length);
      if (this.running) return;
      this.running = true;
      // One turn of the event loop first (not a timer: when idle it costs microseconds): the requests whose
      // bytes arrived together are parsed in this turn and join this group. Without it, on PGlite, whose
      // statements run synchronously on this thread, nothing could ever arrive "while a batch is in flight".
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.max);
        let out: (O | Error)[];
        try {
          out = await this.run(group.map((g) => g.item));
        } catch (err) {
          for (const g of group) g.reject(err);
          continue;
        }
        group.forEach((g, i) => {
          const o = out[i];
          if (o === undefined) g.reject(new Error(`no result for item ${i} of a group of ${group.length}`));
          else if (o instanceof Error) g.reject(o);
          else g.resolve(o);
        });
      }
    } finally {
      this.running = false;
    }
  }
}

type PartyRow = Party & { n: number; by_handle: boolean } & Record<string, unknown>;

export class PaymentBatcher {
  readonly max: number;
  /** How many batches of each size were written (size → count). */
  readonly sizes = new Map<number, number>();
  /** How many batches went item by item, by the reason the set-wise pass gave (key, in_flight, account, error). */
  readonly fallbacks = new Map<string, number>();
  /** Milliseconds spent waiting for the database: batch writes, and the batched reads of the parties. */
  private readonly waited = { write: 0, lookup: 0 };
  private readonly writes: Coalescer<PaymentWrite, WriteOutcome>;
  private readonly lookups: Coalescer<{ payerId: string; handle: string }, Parties>;

  constructor(
    private readonly db: Db,
    private readonly opts: BatcherOptions = {},
  ) {
    this.max = Math.max(1, opts.max ?? 32);
    this.writes = new Coalescer(this.max, (b) => this.flush(b), opts.queued);
    this.lookups = new Coalescer(this.max, (b) => this.lookup(b));
  }

  /** Writes one payment in the next batch; resolves once that batch committed. */
  write(write: PaymentWrite): Promise<WriteOutcome> {
    return this.writes.add(write);
  }

  /**
   * A payment's payer and the account of its recipient's handle, as `getPayerAndRecipient`, read together
   * with the other payments being planned at the same moment (one statement for the group).
   */
  parties(payerId: string, handle: string): Promise<Parties> {
    return this.lookups.add({ payerId, handle });
  }

  /** Batches written so far and how many payments they held. */
  stats(): {
    batches: number;
    payments: number;
    sizes: Record<number, number>;
    itemByItem: Record<string, number>;
    dbMs: { write: number; lookup: number };
  } {
    let batches = 0;
    let payments = 0;
    for (const [size, n] of this.sizes) {
      batches += n;
      payments += size * n;
    }
    return {
      batches,
      payments,
      sizes: Object.fromEntries([...this.sizes].sort((a, b) => a[0] - b[0])),
      itemByItem: Object.fromEntries(this.fallbacks),
      dbMs: { write: Math.round(this.waited.write), lookup: Math.round(this.waited.lookup) },
    };
  }

  private async flush(batch: PaymentWrite[]): Promise<(WriteOutcome | Error)[]> {
    if (this.opts.beforeWrite) await this.opts.beforeWrite(batch.length);
    this.sizes.set(batch.length, (this.sizes.get(batch.length) ?? 0) + 1);
    const t0 = performance.now();
    try {
      return await this.writeBatch(batch);
    } finally {
      this.waited.write += performance.now() - t0;
    }
  }

  private async writeBatch(batch: PaymentWrite[]): Promise<(WriteOutcome | Error)[]> {
    // The common case, set-wise: every key new and free; each item stored, or refused for insufficient funds,
    // as the balances walked in the batch's order decide.
    const [set] = await this.db.query<{ reason: string | null; refused: number[] | null }>(
      `SELECT * FROM create_payments_set($1::text[], $2::text[], $3::text[], $4::int[], $5::text[],
         $6::timestamptz[], $7::int[], $8::text[], $9::int[], $10::text[], $11::bigint[], $12::int[], $13::jsonb,
         $14::int[], $15::text[], $16::text[], $17::bigint[], $18::text[], $19::text[], $20::timestamptz[])`,
      setArgs(batch),
    );
    if (set && set.reason === null) {
      const refused = new Set(set.refused ?? []);
      return batch.map((w, i) =>
        refused.has(i + 1)
          ? {
              outcome: 'refused',
              request_hash: w.hash,
              status_code: w.shortStatus,
              response_body: w.shortBody,
            }
          : { outcome: 'stored', request_hash: w.hash, status_code: w.status, response_body: w.body },
      );
    }
    // Something unusual (a key stored, reused or in flight, an unknown account, a write that failed): nothing
    // was written; item by item, each with its own outcome.
    const why = (set?.reason ?? 'none').split(' ')[0] ?? 'none';
    this.fallbacks.set(why, (this.fallbacks.get(why) ?? 0) + 1);
    const rows = await this.db.query<BatchRow>(`SELECT * FROM create_payments_batch($1::jsonb)`, [
      JSON.stringify(batch),
    ]);
    const byItem = new Map(rows.map((r) => [r.item, r]));
    return batch.map((_, i) => {
      const row = byItem.get(i);
      if (!row) return new Error(`create_payments_batch returned no row for item ${i}`);
      if ((row.outcome as string) === 'failed')
        return new Error(`payment not written: ${row.response_body ?? 'unknown error'}`);
      return row;
    });
  }

  private async lookup(group: { payerId: string; handle: string }[]): Promise<(Parties | Error)[]> {
    const t0 = performance.now();
    const rows = await this.db.query<PartyRow>(
      `SELECT q.n::int AS n, a.id, a.kind, a.display_name, a.x_handle, a.x_user_id, a.fee_bps, a.on_hold,
         lower(a.x_handle) IS NOT DISTINCT FROM lower(q.handle) AS by_handle
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(payer, handle, n)
       JOIN accounts a ON (a.id = q.payer OR lower(a.x_handle) = lower(q.handle)) AND a.kind <> 'system'`,
      [group.map((g) => g.payerId), group.map((g) => g.handle)],
    );
    this.waited.lookup += performance.now() - t0;
    const byItem = group.map((): PartyRow[] => []);
    for (const r of rows) byItem[r.n - 1]?.push(r);
    return group.map((g, i) => {
      try {
        return partiesOf(byItem[i] ?? [], g.payerId);
      } catch (err) {
        return err as Error;
      }
    });
  }
}

/**
 * The arguments of `create_payments_set()` (migration 10), column-wise and in the batch's order: the key rows
 * with their answers, the user-balance moves, the payment rows, the ledger legs.
 */
export function setArgs(batch: PaymentWrite[]): unknown[] {
  const moves = { items: [] as number[], accounts: [] as string[], deltas: [] as number[] };
  const payments = { items: [] as number[], rows: [] as object[] };
  const legs = {
    items: [] as number[],
    debits: [] as string[],
    credits: [] as string[],
    amounts: [] as number[],
    kinds: [] as string[],
    payments: [] as string[],
    at: [] as Date[],
  };
  batch.forEach((w, i) => {
    if (!w.payment) return;
    const item = i + 1;
    payments.items.push(item);
    payments.rows.push(w.payment);
    const id = (w.payment as { id: string }).id;
    w.accounts.forEach((account, j) => {
      moves.items.push(item);
      moves.accounts.push(account);
      moves.deltas.push(w.deltas[j] ?? 0);
    });
    w.debits.forEach((debit, j) => {
      legs.items.push(item);
      legs.debits.push(debit);
      legs.credits.push(w.credits[j] ?? '');
      legs.amounts.push(w.amounts[j] ?? 0);
      legs.kinds.push(w.kinds[j] ?? '');
      legs.payments.push(id);
      legs.at.push(w.at);
    });
  });
  return [
    batch.map((w) => w.account),
    batch.map((w) => w.key),
    batch.map((w) => w.hash),
    batch.map((w) => w.status),
    batch.map((w) => w.body),
    batch.map((w) => w.at),
    batch.map((w) => w.shortStatus),
    batch.map((w) => w.shortBody),
    moves.items,
    moves.accounts,
    moves.deltas,
    payments.items,
    JSON.stringify(payments.rows),
    legs.items,
    legs.debits,
    legs.credits,
    legs.amounts,
    legs.kinds,
    legs.payments,
    legs.at,
  ];
}

/** `WALLET_BATCH`: batching is on unless it says off (off, 0, false, no). */
export function batchingEnabled(value: string | undefined): boolean {
  return !['off', '0', 'false', 'no'].includes((value ?? '').trim().toLowerCase());
}
