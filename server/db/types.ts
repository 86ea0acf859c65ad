/** The small database interface the wallet uses; PGlite and PostgreSQL implement it with the same SQL. */

export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs one parameterized statement ($1, $2, …) and returns its rows. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction (READ COMMITTED): commit when it resolves, roll back when it throws.
   * On PostgreSQL, serialization failures and deadlocks are retried, so `fn` must have no side effects
   * outside the database. On PGlite, transactions (and single queries) are serialized.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Leadership among the processes sharing this database: a session advisory lock on `key`, held on a
   * connection of its own until `release()` or until that connection dies (then `lost` resolves and
   * another process can take it). `undefined` when someone else holds it. PGlite is one process: a flag.
   */
  tryLeadership(key: number): Promise<Leadership | undefined>;
  /** PGlite only: the data dir as a tarball (a template for fast test databases). */
  dump?(): Promise<Blob>;
}

export interface Leadership {
  lost: Promise<void>;
  release(): Promise<void>;
}

/** PostgreSQL error code of a database error, if any. */
export function pgCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string')
    return err.code;
  return undefined;
}

/** The unique constraint an insert violated, if that is the error. */
export function uniqueViolation(err: unknown): string | undefined {
  if (pgCode(err) !== '23505') return undefined;
  const c = (err as { constraint?: unknown }).constraint;
  return typeof c === 'string' ? c : '';
}
