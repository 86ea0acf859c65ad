import pg from 'pg';
import { pgCode, type Db, type Queryable, type Row } from './types';

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

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
    // A single statement outside a transaction is its own transaction: rolled back whole on a serialization
    // failure or a deadlock, so it is retried like `transaction` (e.g. create_payment_once()).
    async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []) {
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await pool.query(sql, params as unknown[]);
          return res.rows as T[];
        } catch (err) {
          if (attempt < 8 && RETRYABLE.has(pgCode(err) ?? '')) {
            await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
            continue;
          }
          throw err;
        }
      }
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
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
          client.release();
          return out;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          client.release();
          if (attempt < 8 && RETRYABLE.has(pgCode(err) ?? '')) {
            await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
            continue;
          }
          throw err;
        }
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
