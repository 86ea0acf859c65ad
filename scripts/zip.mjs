#!/usr/bin/env node
/**
 * `npm run zip`: the store packages in `.output/`:
 * - `tweetez-payez-<version>-chrome.zip` (Chrome Web Store, MV3),
 * - `tweetez-payez-<version>-firefox.zip` (addons.mozilla.org, MV2),
 * - `tweetez-payez-<version>-sources.zip` (the source code AMO asks for, because the bundles are minified;
 *   what it leaves out is set by `zip.excludeSources` in wxt.config.ts).
 * Then lists them with their sizes and checks the sources zip holds nothing it should not.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { ZIPS } from './lib/packages.mjs';
import { readZip } from './lib/unzip.mjs';

/** Paths that must never be in the sources zip: secrets, local data, the server, test material. */
const FORBIDDEN_IN_SOURCES = [
  /^\.env/,
  /(^|\/)\.data\//,
  /(^|\/)node_modules\//,
  /^\.output\//,
  /^server\//,
  /^tests\//,
  /^test-results\//,
  /^docs\//,
];
/** Paths the sources zip must hold for `npm ci && npx wxt build -b firefox` to work. */
const REQUIRED_IN_SOURCES = [
  'package.json',
  'package-lock.json',
  'wxt.config.ts',
  'tsconfig.json',
  'README.md',
];

function run(args) {
  const res = spawnSync('npx', args, { encoding: 'utf8' });
  if (res.status !== 0) {
    console.error(`\`npx ${args.join(' ')}\` failed:\n${res.stdout}${res.stderr}`);
    process.exit(1);
  }
}

for (const file of Object.values(ZIPS)) fs.rmSync(file, { force: true });
run(['wxt', 'zip']);
run(['wxt', 'zip', '-b', 'firefox']);

const sources = [...readZip(fs.readFileSync(ZIPS.sources)).keys()];
const forbidden = sources.filter((f) => FORBIDDEN_IN_SOURCES.some((re) => re.test(f)));
const missing = REQUIRED_IN_SOURCES.filter((f) => !sources.includes(f));
for (const [kind, file] of Object.entries(ZIPS)) {
  if (!fs.existsSync(file)) {
    console.error(`✗ ${kind}: ${file} was not made`);
    process.exit(1);
  }
  const entries = readZip(fs.readFileSync(file)).size;
  const kb = (fs.statSync(file).size / 1024).toFixed(1);
  console.log(`  ${kind.padEnd(8)} ${file}  ${kb} KB, ${entries} files`);
}
if (forbidden.length || missing.length) {
  if (forbidden.length) console.error(`✗ the sources zip holds ${forbidden.join(', ')}`);
  if (missing.length) console.error(`✗ the sources zip lacks ${missing.join(', ')}`);
  process.exit(1);
}
console.log('✓ zips made; check they build the same with `npm run zip:verify`');
