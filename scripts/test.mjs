#!/usr/bin/env node
/**
 * `npm test`: first makes sure the machine has what the chosen steps need (scripts/lib/machine.ts: Chromium,
 * Firefox, PostgreSQL ≥ 15, fonts; installed with apt-get when run as root on Debian, else one message with the
 * command, within seconds) and, without DATABASE_URL, starts a throw-away PostgreSQL (scripts/lib/postgres.ts),
 * removed at the end whatever happens. Then builds both browsers, typecheck, lint, format check, unit + server
 * tests on PGlite and PostgreSQL (vitest), the wallet server as real processes (durability, stress), end-to-end
 * tests in Chromium (Playwright), the Firefox test, `web-ext lint`, and the store zips (rebuilt from the
 * sources zip to check they reproduce).
 * Stops at the first failing step; ends with one line "N passed, N failed" summing every runner.
 * Steps in a `together` group are independent and run at the same time (the machine has 2 cores and most of
 * these wait on processes); their output is printed whole, one after the other, as each finishes.
 * `npm test -- <name>…` runs only the named steps (a group's name runs all of it) and checks only what they need.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureMachine, postgresBin } from './lib/machine.ts';
import { startThrowawayPostgres } from './lib/postgres.ts';

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

/** Pass/fail/skip counts from the summary of a node:test TAP report. */
function tapCount(file) {
  const tap = fs.readFileSync(file, 'utf8');
  const n = (k) => Number(tap.match(new RegExp(`^# ${k} (\\d+)`, 'm'))?.[1] ?? 0);
  return { passed: n('pass'), failed: n('fail'), skipped: n('skipped') + n('todo') };
}

/** A node:test run of `files` (TypeScript through tsx): spec output, and a TAP file the counts are read from. */
function nodeTest(name, files) {
  const tap = `${RESULTS}/${name}.tap`;
  return {
    cmd: 'node',
    args: [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter=tap',
      `--test-reporter-destination=stdout`,
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    count: () => tapCount(tap),
  };
}

/**
 * @typedef {{ name: string, cmd: string, args: string[], env?: Record<string, string>, optional?: () => boolean,
 *   needs?: import('./lib/machine.ts').Requirement[],
 *   count?: () => { passed: number, failed: number, skipped: number } }} Step
 * @type {(Step | { name: string, together: Step[] })[]}
 */
const steps = [
  { name: 'build', cmd: 'npx', args: ['wxt', 'build'] },
  { name: 'build:firefox', cmd: 'npx', args: ['wxt', 'build', '-b', 'firefox'] },
  {
    name: 'static',
    together: [
      { name: 'typecheck', cmd: 'npx', args: ['tsc', '--noEmit'] },
      { name: 'typecheck:server', cmd: 'npx', args: ['tsc', '--noEmit', '-p', 'server'] },
      { name: 'lint', cmd: 'npx', args: ['eslint', '.', '--max-warnings=0'] },
      { name: 'format', cmd: 'npx', args: ['prettier', '--check', '.', '--log-level=warn'] },
    ],
  },
  {
    name: 'unit',
    needs: ['postgres'],
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
  // The wallet server as a real process: kill -9 under load (durability), and faults under load (stress); each
  // on its own databases.
  {
    name: 'server',
    together: ['durability', 'stress', 'bot-replies', 'stream-takeover'].map((name) => ({
      name,
      needs: ['postgres'],
      ...nodeTest(`server-${name}`, [`tests/server/${name}.test.ts`]),
      optional: () => fs.existsSync('server/main.ts'),
    })),
  },
  {
    name: 'e2e',
    needs: ['chromium', 'fonts'],
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
    needs: ['firefox', 'fonts'],
    ...nodeTest('firefox', firefoxTests),
    optional: () => firefoxTests.length > 0,
  },
  // Not together with the Firefox test: it rebuilds the Firefox build that test has installed.
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

/** Runs one step; resolves with its exit status. `buffer`: keep its output and print it whole at the end. */
function run(step, buffer) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const head = `\n▶ ${step.name}: ${step.cmd} ${step.args.join(' ')}`;
    if (!buffer) console.log(head);
    const child = spawn(step.cmd, step.args, {
      stdio: buffer ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: { ...process.env, ...step.env },
    });
    const out = [];
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr?.on('data', (d) => out.push(d));
    child.on('close', (code, signal) => {
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
      const status = code ?? signal;
      const tail = `◀ ${step.name}: ${status === 0 ? 'ok' : `FAILED (exit ${status})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
      if (buffer) process.stdout.write(`${head}\n${Buffer.concat(out).toString()}${tail}\n`);
      else console.log(tail);
      resolve(status);
    });
  });
}

const wanted = (step) => (!only.length || only.includes(step.name)) && (!step.optional || step.optional());

/** The steps this run will take, flattened. */
const chosen = steps.flatMap((step) =>
  step.together
    ? step.together.filter(
        (s) =>
          (!only.length || only.includes(step.name) || only.includes(s.name)) &&
          (!s.optional || s.optional()),
      )
    : wanted(step)
      ? [step]
      : [],
);

// What the machine must have, before any slow step.
try {
  await ensureMachine(chosen.flatMap((s) => s.needs ?? []));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}

// A PostgreSQL for the server tests: DATABASE_URL's, else a throw-away cluster removed whatever happens.
let postgresLine = 'PostgreSQL: not needed by the chosen steps';
if (chosen.some((s) => s.needs?.includes('postgres'))) {
  if (process.env.DATABASE_URL) {
    postgresLine = 'PostgreSQL: DATABASE_URL (given)';
  } else {
    const bin = postgresBin();
    if (!bin) throw new Error('unreachable: ensureMachine checked for PostgreSQL');
    const pg = await startThrowawayPostgres(bin);
    process.env.DATABASE_URL = pg.url;
    postgresLine = `PostgreSQL: throw-away PostgreSQL ${pg.major} cluster (removed)`;
    process.on('exit', pg.stop);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.on(signal, () => {
        pg.stop();
        process.exit(130);
      });
    }
    console.log(`npm test: throw-away PostgreSQL ${pg.major} at ${pg.url}`);
  }
}

const started = Date.now();
let failedStep;
for (const step of steps) {
  if (step.together) {
    const named = !only.length || only.includes(step.name);
    const parts = step.together.filter(
      (s) => (named || only.includes(s.name)) && (!s.optional || s.optional()),
    );
    if (!parts.length) continue;
    const t0 = Date.now();
    const statuses = await Promise.all(parts.map((s) => run(s, parts.length > 1)));
    if (parts.length > 1)
      console.log(
        `◀ ${step.name} (${parts.map((s) => s.name).join(' + ')}): ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
    const bad = parts.find((_, i) => statuses[i] !== 0);
    if (bad) {
      failedStep = bad.name;
      break;
    }
    continue;
  }
  if (!wanted(step)) continue;
  if ((await run(step, false)) !== 0) {
    failedStep = step.name;
    break;
  }
}
console.log(
  `\nnpm test took ${((Date.now() - started) / 1000).toFixed(1)} s${failedStep ? `; failed at step "${failedStep}"` : ''}`,
);
console.log(postgresLine);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStep ? 1 : 0);
