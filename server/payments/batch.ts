/**
 * Group commit for new payments. `POST /v1/payments` writes its payment, legs and stored answer with one
 * `create_payment_once()` call; with a batcher, the calls that arrive while a batch is being written wait in a
 * queue and go together in the next batch: one `create_payments_batch()` statement (migration 5), so one round
 * trip and one commit for up to `max` payments. Each payment keeps its own outcome (stored, refused for
 * insufficient funds, key exists, key in flight); one that fails for an unexpected reason fails alone.
 *
 * The classic leader pattern, without timers: when nothing is being written, a payment goes out at once (a
 * batch of one, no added latency when idle); while a batch is in flight, what arrives queues; when it
 * commits, the queue (up to `max`) is the next batch. One batch at a time, in the order the payments were
 * queued, so two payments of the same payer are written in the order they were accepted.
 *
 * A 2xx still means committed: a payment's promise settles only after its batch's statement returned, which
 * is after its commit. A statement that fails (after the database layer's retries of serialization failures
 * and deadlocks) fails every payment of its batch and stores nothing: each request answers 500 and its key
 * stays free for the client's retry, as with a single call.
 */
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

interface Waiting {
  write: PaymentWrite;
  resolve: (o: WriteOutcome) => void;
  reject: (err: unknown) => void;
}

export class PaymentBatcher {
  readonly max: number;
  /** How many batches of each size were written (size → count). */
  readonly sizes = new Map<number, number>();
  private queue: Waiting[] = [];
  private writing = false;

  constructor(
    private readonly db: Db,
    private readonly opts: BatcherOptions = {},
  ) {
    this.max = Math.max(1, opts.max ?? 32);
  }

  /** Writes one payment in the next batch; resolves once that batch committed. */
  write(write: PaymentWrite): Promise<WriteOutcome> {
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.opts.queued?.(this.queue.length);
      if (!this.writing) void this.drain();
    });
  }

  /** Batches written so far and how many payments they held. */
  stats(): { batches: number; payments: number; sizes: Record<number, number> } {
    let batches = 0;
    let payments = 0;
    for (const [size, n] of this.sizes) {
      batches += n;
      payments += size * n;
    }
    return { batches, payments, sizes: Object.fromEntries([...this.sizes].sort((a, b) => a[0] - b[0])) };
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) await this.flush(this.queue.splice(0, this.max));
    } finally {
      this.writing = false;
    }
  }

  private async flush(batch: Waiting[]): Promise<void> {
    let rows: BatchRow[];
    try {
      if (this.opts.beforeWrite) await this.opts.beforeWrite(batch.length);
      rows = await this.db.query<BatchRow>(`SELECT * FROM create_payments_batch($1::jsonb)`, [
        JSON.stringify(batch.map((w) => w.write)),
      ]);
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    this.sizes.set(batch.length, (this.sizes.get(batch.length) ?? 0) + 1);
    const byItem = new Map(rows.map((r) => [r.item, r]));
    batch.forEach((w, i) => {
      const row = byItem.get(i);
      if (!row) w.reject(new Error(`create_payments_batch returned no row for item ${i}`));
      else if ((row.outcome as string) === 'failed')
        w.reject(new Error(`payment not written: ${row.response_body ?? 'unknown error'}`));
      else w.resolve(row);
    });
  }
}

/** `WALLET_BATCH`: batching is on unless it says off (off, 0, false, no). */
export function batchingEnabled(value: string | undefined): boolean {
  return !['off', '0', 'false', 'no'].includes((value ?? '').trim().toLowerCase());
}
