#!/usr/bin/env node
/**
 * `npm run zip:verify`: proves the sources zip reproduces the Firefox package, as an addons.mozilla.org
 * reviewer would check it: unpack the sources zip into an empty temporary directory, `npm ci`, build for
 * Firefox there, and compare every file of that build with the Firefox zip, byte for byte.
 *
 * Usage: node scripts/zip-verify.mjs [--no-zip] [--reuse-node-modules]
 *   --no-zip: reuse the zips already in .output/
 *   --reuse-node-modules (what `npm test` uses: `npm ci` costs 40–120 s on a busy machine): instead of
 *     `npm ci`, link this project's node_modules, after checking that the sources zip carries this project's
 *     package.json and package-lock.json byte for byte — so `npm ci` would install that same tree.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ZIPS } from './lib/packages.mjs';
import { readZip } from './lib/unzip.mjs';

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function run(cmd, args, cwd) {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (res.status !== 0) {
    console.error(`✗ \`${cmd} ${args.join(' ')}\` failed in ${cwd}:\n${res.stdout}${res.stderr}`);
    process.exit(1);
  }
}

if (!process.argv.includes('--no-zip')) run('node', ['scripts/zip.mjs'], process.cwd());
for (const file of [ZIPS.firefox, ZIPS.sources]) {
  if (!fs.existsSync(file)) {
    console.error(`✗ ${file} is missing: run \`npm run zip\` first`);
    process.exit(1);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-sources-'));
let failed = false;
try {
  const sources = readZip(fs.readFileSync(ZIPS.sources));
  for (const [name, data] of sources) {
    const target = path.join(tmp, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
  }
  console.log(`  unpacked ${sources.size} files of ${ZIPS.sources} into ${tmp}`);

  if (process.argv.includes('--reuse-node-modules')) {
    for (const file of ['package.json', 'package-lock.json']) {
      const zipped = sources.get(file);
      if (!zipped || !zipped.equals(fs.readFileSync(file))) {
        console.error(`✗ ${file} in ${ZIPS.sources} is not this project's ${file}`);
        process.exit(1);
      }
    }
    fs.symlinkSync(path.resolve('node_modules'), path.join(tmp, 'node_modules'), 'dir');
    console.log(`  linked node_modules (same package.json and package-lock.json) (${seconds()})`);
  } else {
    run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], tmp);
    console.log(`  npm ci done (${seconds()})`);
  }
  run('npx', ['wxt', 'build', '-b', 'firefox'], tmp);
  console.log(`  Firefox build done (${seconds()})`);

  const expected = readZip(fs.readFileSync(ZIPS.firefox));
  const builtDir = path.join(tmp, '.output/firefox-mv2');
  /** @type {Map<string, Buffer>} */
  const built = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else built.set(path.relative(builtDir, p).split(path.sep).join('/'), fs.readFileSync(p));
    }
  };
  walk(builtDir);

  const sha = (b) => crypto.createHash('sha256').update(b).digest('hex').slice(0, 12);
  const names = [...new Set([...expected.keys(), ...built.keys()])].sort();
  for (const name of names) {
    const a = expected.get(name);
    const b = built.get(name);
    if (!a) console.log(`✗ ${name}: built from sources but not in the Firefox zip`);
    else if (!b) console.log(`✗ ${name}: in the Firefox zip but not built from sources`);
    else if (!a.equals(b)) console.log(`✗ ${name}: differs (zip ${sha(a)}, rebuilt ${sha(b)})`);
    else continue;
    failed = true;
  }
  console.log(
    failed
      ? `✗ the sources zip does not reproduce ${ZIPS.firefox} (${seconds()})`
      : `✓ the sources zip reproduces ${ZIPS.firefox}: ${expected.size} files byte-identical (${seconds()})`,
  );
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
