#!/usr/bin/env node
/**
 * `npm test`: build both browsers, then typecheck, lint, format check, unit + server tests (vitest),
 * end-to-end tests in Chromium (Playwright), the Firefox test, `web-ext lint`, and the store zips
 * (rebuilt from the sources zip to check they reproduce).
 * Stops at the first failing step; ends with one line "N passed, N failed" summing every runner.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const RESULTS = 'test-results';
fs.mkdirSync(RESULTS, { recursive: true });
const only = process.argv.slice(2);

/** Node 20's `--test <dir>` only finds *.js test files, so the TypeScript ones are listed explicitly. */
const firefoxTests = fs.existsSync('tests/firefox')
  ? fs
      .readdirSync('tests/firefox')
      .filter((f) => f.endsWith('.test.ts'))
      .sort()
      .map((f) => path.join('tests/firefox', f))
  : [];

/** @type {{ name: string, cmd: string, args: string[], count?: () => { passed: number, failed: number, skipped: number } }[]} */
const steps = [
  { name: 'build', cmd: 'npx', args: ['wxt', 'build'] },
  { name: 'build:firefox', cmd: 'npx', args: ['wxt', 'build', '-b', 'firefox'] },
  { name: 'typecheck', cmd: 'npx', args: ['tsc', '--noEmit'] },
  { name: 'lint', cmd: 'npx', args: ['eslint', '.', '--max-warnings=0'] },
  { name: 'format', cmd: 'npx', args: ['prettier', '--check', '.', '--log-level=warn'] },
  {
    name: 'unit',
    cmd: 'npx',
    args: [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${RESULTS}/vitest.json`,
    ],
    count: () => {
      const r = JSON.parse(fs.readFileSync(path.join(RESULTS, 'vitest.json'), 'utf8'));
      return {
        passed: r.numPassedTests,
        failed: r.numFailedTests,
        skipped: r.numPendingTests + r.numTodoTests,
      };
    },
  },
  {
    name: 'e2e',
    cmd: 'npx',
    args: ['playwright', 'test', '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: `${RESULTS}/e2e.json` },
    count: () => {
      const r = JSON.parse(fs.readFileSync(path.join(RESULTS, 'e2e.json'), 'utf8'));
      return {
        passed: r.stats.expected + r.stats.flaky,
        failed: r.stats.unexpected,
        skipped: r.stats.skipped,
      };
    },
  },
  {
    name: 'firefox',
    cmd: 'node',
    args: [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter=tap',
      `--test-reporter-destination=stdout`,
      `--test-reporter-destination=${RESULTS}/firefox.tap`,
      ...firefoxTests,
    ],
    optional: () => firefoxTests.length > 0,
    count: () => {
      const tap = fs.readFileSync(path.join(RESULTS, 'firefox.tap'), 'utf8');
      const n = (k) => Number(tap.match(new RegExp(`^# ${k} (\\d+)`, 'm'))?.[1] ?? 0);
      return { passed: n('pass'), failed: n('fail'), skipped: n('skipped') + n('todo') };
    },
  },
  {
    name: 'web-ext-lint',
    cmd: 'node',
    args: ['scripts/web-ext-lint.mjs'],
    optional: () => fs.existsSync('scripts/web-ext-lint.mjs'),
  },
  // The store zips, then an addons.mozilla.org-style rebuild from the sources zip, with this project's
  // node_modules once the lockfile is checked identical (`npm run zip:verify` runs the full `npm ci`).
  { name: 'zip', cmd: 'node', args: ['scripts/zip-verify.mjs', '--reuse-node-modules'] },
];

const totals = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();
let failedStep;
for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  if (step.optional && !step.optional()) continue;
  const t0 = Date.now();
  console.log(`\n▶ ${step.name}: ${step.cmd} ${step.args.join(' ')}`);
  const res = spawnSync(step.cmd, step.args, { stdio: 'inherit', env: { ...process.env, ...step.env } });
  if (step.count) {
    try {
      const c = step.count();
      totals.passed += c.passed;
      totals.failed += c.failed;
      totals.skipped += c.skipped;
    } catch {
      // no result file: the runner failed before it ran anything; the exit code says so
    }
  }
  console.log(
    `◀ ${step.name}: ${res.status === 0 ? 'ok' : `FAILED (exit ${res.status ?? res.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (res.status !== 0) {
    failedStep = step.name;
    break;
  }
}
console.log(
  `\nnpm test took ${((Date.now() - started) / 1000).toFixed(1)} s${failedStep ? `; failed at step "${failedStep}"` : ''}`,
);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStep ? 1 : 0);
