import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
const dir = process.argv[2]!;
const db = await PGlite.create(dir);
await db.exec('CREATE TABLE IF NOT EXISTS r (id BIGINT PRIMARY KEY, tx BOOLEAN)');
let n = 0;
for (;;) {
  n++;
  if (n % 2) await db.query('INSERT INTO r VALUES ($1, false)', [n]);
  else { await db.exec('BEGIN'); await db.query('INSERT INTO r VALUES ($1, true)', [n]); await db.exec('COMMIT'); }
  fs.writeSync(1, `${n}\n`);
}
