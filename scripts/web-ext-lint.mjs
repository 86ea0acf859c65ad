#!/usr/bin/env node
/**
 * `web-ext lint` (addons-linter, the checks addons.mozilla.org runs on upload) on both Firefox builds:
 * MV2 (`.output/firefox-mv2`, the one we ship) and MV3 (`.output/firefox-mv3`). Builds both first.
 *
 * Fails on any error, and on any warning or notice unless it is allow-listed below as coming from a
 * dependency, with the reason. An allowance is checked against the built code itself (the flagged source
 * must match `snippet`) and may add a `guard` about our own code, so it cannot hide a warning of ours.
 *
 * Usage: node scripts/web-ext-lint.mjs [--no-build]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const TARGETS = [
  { name: 'firefox-mv2', dir: '.output/firefox-mv2', build: ['wxt', 'build', '-b', 'firefox'] },
  { name: 'firefox-mv3', dir: '.output/firefox-mv3', build: ['wxt', 'build', '-b', 'firefox', '--mv3'] },
];

/** Our own sources: the allowances below only hold while none of them opts into the flagged code path. */
const OWN_SOURCE_DIRS = ['entrypoints', 'components', 'utils'];

/**
 * @typedef {{ code: string, file: RegExp, snippet: RegExp, reason: string, guard?: () => string | undefined }} Allowance
 * @type {Allowance[]}
 */
const ALLOWED = [
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    file: /\.js$/,
    // Preact's diff(): `dom.innerHTML = newHtml.__html`, reached only for `dangerouslySetInnerHTML` props.
    snippet: /\w+\.innerHTML=\w+\.__html/,
    reason:
      "Preact's renderer assigns innerHTML only for the `dangerouslySetInnerHTML` prop, which our code never uses",
    guard: () => {
      const users = ownSources().filter((f) => /dangerouslySetInnerHTML/.test(fs.readFileSync(f, 'utf8')));
      return users.length ? `dangerouslySetInnerHTML is used in ${users.join(', ')}` : undefined;
    },
  },
];

function ownSources() {
  /** @type {string[]} */
  const files = [];
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(ts|tsx|js|jsx|mjs)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) files.push(p);
    }
  };
  OWN_SOURCE_DIRS.forEach(walk);
  return files;
}

/** The source text around a message's line/column (minified bundles are one long line). */
function sourceAround(dir, message) {
  if (!message.file || !message.line) return '';
  const file = path.join(dir, message.file);
  if (!fs.existsSync(file)) return '';
  const line = fs.readFileSync(file, 'utf8').split('\n')[message.line - 1] ?? '';
  const col = message.column ?? 0;
  return line.slice(Math.max(0, col - 120), col + 120);
}

/** The allowance covering a message, or why none does. */
function allowanceFor(dir, message) {
  const candidates = ALLOWED.filter((a) => a.code === message.code && a.file.test(message.file ?? ''));
  if (!candidates.length) return { why: 'not allow-listed' };
  const around = sourceAround(dir, message);
  for (const a of candidates) {
    if (!a.snippet.test(around)) continue;
    const broken = a.guard?.();
    if (broken) return { why: `allowance void: ${broken}` };
    return { allowance: a };
  }
  return { why: `flagged code does not match the allow-listed dependency code: …${around}…` };
}

const noBuild = process.argv.includes('--no-build');
let failed = false;
const rows = [];
for (const target of TARGETS) {
  if (!noBuild) {
    const res = spawnSync('npx', target.build, { encoding: 'utf8' });
    if (res.status !== 0) {
      console.error(`✗ ${target.name}: \`npx ${target.build.join(' ')}\` failed\n${res.stdout}${res.stderr}`);
      process.exit(1);
    }
  }
  if (!fs.existsSync(path.join(target.dir, 'manifest.json'))) {
    console.error(`✗ ${target.name}: no build in ${target.dir}`);
    process.exit(1);
  }
  const res = spawnSync('npx', ['web-ext', 'lint', '--source-dir', target.dir, '--output=json', '--boring'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  let report;
  try {
    report = JSON.parse(res.stdout.slice(res.stdout.indexOf('{')));
  } catch {
    console.error(`✗ ${target.name}: web-ext lint gave no JSON report (exit ${res.status})\n${res.stderr}`);
    process.exit(1);
  }
  const messages = [...report.errors, ...report.warnings, ...report.notices];
  let allowed = 0;
  let blocking = 0;
  for (const m of messages) {
    const where = `${m.file ?? ''}${m.line ? `:${m.line}:${m.column ?? 0}` : ''}`;
    if (m._type !== 'error') {
      const { allowance, why } = allowanceFor(target.dir, m);
      if (allowance) {
        allowed++;
        console.log(`  ${target.name}: allowed ${m._type} ${m.code} in ${where} — ${allowance.reason}`);
        continue;
      }
      console.log(`✗ ${target.name}: ${m._type} ${m.code} in ${where}: ${m.message} (${why})`);
    } else {
      console.log(`✗ ${target.name}: error ${m.code} in ${where}: ${m.message}`);
    }
    console.log(`    ${String(m.description).replace(/\s+/g, ' ').slice(0, 300)}`);
    blocking++;
  }
  if (blocking) failed = true;
  rows.push({ ...target, report, allowed, blocking });
}

console.log('\nweb-ext lint summary');
for (const r of rows) {
  const s = r.report.summary;
  console.log(
    `  ${r.blocking ? '✗' : '✓'} ${r.name.padEnd(12)} ${s.errors} errors, ${s.warnings} warnings, ${s.notices} notices` +
      ` (${r.allowed} allow-listed from dependencies, ${r.blocking} blocking)`,
  );
}
process.exit(failed ? 1 : 0);
