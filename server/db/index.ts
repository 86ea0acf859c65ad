import { migrate } from './migrations';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import type { Db } from './types';

export type { Db, Queryable, Row } from './types';

/** Opens the wallet database (PostgreSQL when `databaseUrl` is given, else PGlite) and migrates it. */
export async function openDb(opts: {
  databaseUrl?: string;
  dataDir?: string;
  pgliteTemplate?: Blob;
}): Promise<Db> {
  const db = opts.databaseUrl
    ? await openPostgres(opts.databaseUrl)
    : await openPglite(
        opts.dataDir ?? './.data/wallet',
        opts.pgliteTemplate ? { template: opts.pgliteTemplate } : {},
      );
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
