import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
import type { Db, Queryable, Row } from './types';

/**
 * Embedded PostgreSQL (PGlite). One connection: every query and transaction goes through one queue, so
 * two requests never interleave inside a transaction (the "one writer" model).
 */
export async function openPglite(dataDir: string, opts: { template?: Blob } = {}): Promise<Db> {
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true });
  // A template (a dumped, already migrated data dir) skips initdb: about 3× faster to start (tests).
  const pg = await PGlite.create(dataDir, opts.template ? { loadDataDir: opts.template } : {});
  let tail: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  }
  const direct: Queryable = {
    async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      const res = await pg.query<T>(sql, params as unknown[]);
      return res.rows;
    },
  };
  let closed = false;
  const held = new Set<number>();
  return {
    kind: 'pglite',
    tryLeadership: async (key) => {
      if (held.has(key)) return undefined;
      held.add(key);
      let release!: () => void;
      const lost = new Promise<void>((r) => (release = r));
      return {
        lost,
        release: async () => {
          held.delete(key);
          release();
        },
      };
    },
    dump: () => exclusive(() => pg.dumpDataDir('none')),
    query: (sql, params) => exclusive(() => direct.query(sql, params)),
    transaction: (fn) =>
      exclusive(async () => {
        await pg.exec('BEGIN');
        try {
          const out = await fn(direct);
          await pg.exec('COMMIT');
          return out;
        } catch (err) {
          await pg.exec('ROLLBACK');
          throw err;
        }
      }),
    async close() {
      if (closed) return;
      closed = true;
      await exclusive(() => pg.close());
    },
  };
}
