import pg from 'pg';
import { pgCode, type Db, type Queryable, type Row } from './types';

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

/**
 * Runs `attempt` (a whole transaction, rolled back when it failed) again after a serialization failure or a
 * deadlock, up to 8 times with a short random pause.
 */
async function retrying<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= 8 || !RETRYABLE.has(pgCode(err) ?? '')) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * n));
    }
  }
}

/** PostgreSQL through a `pg` pool; BIGINT columns come back as numbers (cents stay far below 2^53). */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 20,
    types: {
      getTypeParser: (oid: number, format?: string) =>
        oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
    },
  });
  pool.on('error', () => undefined); // an idle client lost its connection: the pool replaces it
  // A client whose backend dies (pg_terminate_backend, a database restart, a network cut) emits 'error',
  // even while checked out and between two queries of a transaction; unheard, that kills the process.
  // Heard, its queries fail (the request gets a 500 and frees its Idempotency-Key for the retry) and the
  // pool drops it on release, since it is no longer queryable.
  pool.on('connect', (client) => client.on('error', () => undefined));
  await pool.query('SELECT 1');
  let closed = false;
  return {
    kind: 'postgres',
    // A single statement outside a transaction is its own transaction (e.g. create_payment_once()). Its retries
    // run on the same connection: PostgreSQL sends the error before the failed transaction has released its
    // locks, so a retry on another connection could still find them held (e.g. an Idempotency-Key's advisory
    // lock, answering "in flight" for a key only this request uses); the same backend has released them by the
    // time it reads the retry.
    async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []) {
      const client = await pool.connect();
      try {
        return await retrying(async () => (await client.query(sql, params as unknown[])).rows as T[]);
      } finally {
        client.release();
      }
    },
    transaction: <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> =>
      retrying(async () => {
        const client = await pool.connect();
        const tx: Queryable = {
          async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []) {
            const res = await client.query(sql, params as unknown[]);
            return res.rows as R[];
          },
        };
        try {
          await client.query('BEGIN');
          const out = await fn(tx);
          await client.query('COMMIT');
          return out;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      }),
    async tryLeadership(key: number) {
      const client = await pool.connect();
      const [row] = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]))
        .rows;
      if (!row?.ok) {
        client.release();
        return undefined;
      }
      let done = false;
      const lost = new Promise<void>((resolve) => {
        client.once('error', () => resolve());
        client.once('end', () => resolve());
      });
      return {
        lost,
        async release() {
          if (done) return;
          done = true;
          await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
          client.release(true); // closed, not pooled: it may be the connection that died
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
