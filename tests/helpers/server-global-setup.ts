/**
 * Once per test run: a migrated PGlite data dir, dumped to a file that every server test file loads
 * instead of running initdb (PGlite starts ~3× faster from it). The file is named after the migrations
 * and kept in the temp folder between runs (the e2e helper shares it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDb } from '../../server/db';
import { templateFile } from '../../server/start';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const file = templateFile(path.join(os.tmpdir(), 'tweetez-payez-test'));
  if (project.config.env?.WALLET_TEST_DB !== 'postgres' && !fs.existsSync(file)) {
    const db = await openDb({ dataDir: 'memory://' });
    const blob = await db.dump!();
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    fs.renameSync(tmp, file);
    await db.close();
  }
  project.provide('pgliteTemplate', file);
}
