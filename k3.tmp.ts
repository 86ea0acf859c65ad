import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create(process.argv[2]!); const r = (await db.query<{c:number;m:number}>('select count(*)::int c, max(id)::int m from r')).rows[0]!; console.log('acked last', process.argv[3], 'db count', r.c, 'max', r.m); await db.close();
