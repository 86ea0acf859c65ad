#!/usr/bin/env node
/**
 * `npm run bench`: every performance figure of the project in one table (figure, target, measured, pass/fail).
 * - builds the Chrome package, then measures the gzip size of every built file, with budgets:
 *   content script ≤ 12 KB, background ≤ 25 KB, each page (its HTML + the JS/CSS it loads) ≤ 40 KB;
 * - runs the content-script benchmark (`npm run bench:content -- --json`) and the wallet-server benchmark
 *   (`npm run bench:server -- --json`) when the project has them; a missing or failing one is reported as
 *   "not available" instead of stopping the others.
 *
 * Usage: node scripts/bench.mjs [--no-build] [--only=size,content,server] [--json]
 * Exit code 1 when a measured figure misses its target.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wants = (part) => !only || only.includes(part);
const asJson = args.includes('--json');
const OUT = '.output/chrome-mv3';
const KB = 1024;

/**
 * @typedef {{ group: string, figure: string, target?: string, measured: string, ok?: boolean, note?: string }} Row
 * @type {Row[]}
 */
const rows = [];

// ---------------------------------------------------------------------------------------------- sizes

const gz = (file) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;

function listFiles(dir) {
  /** @type {string[]} */
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return files.sort();
}

/** A built file's static imports (`import … from "./x.js"`, `import "./x.js"`), relative to the output root. */
function staticImports(file) {
  const code = fs.readFileSync(path.join(OUT, file), 'utf8');
  const found = new Set();
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["'`]([^"'`]+\.(?:js|css))["'`]/g)) {
    const spec = /** @type {string} */ (m[1]);
    const resolved = spec.startsWith('/') ? spec.slice(1) : path.posix.join(path.posix.dirname(file), spec);
    found.add(resolved);
  }
  return [...found];
}

/** Everything an extension page loads at start: its HTML, scripts, module preloads, styles, and their imports. */
function pageFiles(html) {
  const text = fs.readFileSync(path.join(OUT, html), 'utf8');
  const queue = [...text.matchAll(/\b(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) =>
    /** @type {string} */ (m[1]).replace(/^\//, ''),
  );
  const seen = new Set([html]);
  while (queue.length) {
    const f = /** @type {string} */ (queue.shift());
    if (seen.has(f) || !fs.existsSync(path.join(OUT, f))) continue;
    seen.add(f);
    if (f.endsWith('.js')) queue.push(...staticImports(f));
  }
  return [...seen];
}

function sizes() {
  if (!args.includes('--no-build')) {
    const res = spawnSync('npx', ['wxt', 'build'], { encoding: 'utf8' });
    if (res.status !== 0) {
      console.error(`\`npx wxt build\` failed:\n${res.stdout}${res.stderr}`);
      process.exit(1);
    }
  }
  if (!fs.existsSync(path.join(OUT, 'manifest.json'))) {
    console.error(`No build in ${OUT}: run \`npx wxt build\` first (or drop --no-build).`);
    process.exit(1);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(OUT, 'manifest.json'), 'utf8'));
  const budgeted = [];

  const contentFiles = (manifest.content_scripts ?? []).flatMap((cs) => [
    ...(cs.js ?? []),
    ...(cs.css ?? []),
  ]);
  // With cssInjectionMode 'ui' the content script's CSS is a separate file it loads into its shadow root.
  for (const f of listFiles(OUT)) {
    if (/^content-scripts\/.+\.css$/.test(f) && !contentFiles.includes(f)) contentFiles.push(f);
  }
  const contentBytes = contentFiles.reduce((sum, f) => sum + gz(path.join(OUT, f)), 0);
  budgeted.push(['content script', contentFiles, contentBytes, 12 * KB]);

  const bgEntry = manifest.background?.service_worker ?? manifest.background?.scripts?.[0];
  if (bgEntry) {
    const bgFiles = [bgEntry, ...staticImports(bgEntry)];
    budgeted.push(['background', bgFiles, bgFiles.reduce((s, f) => s + gz(path.join(OUT, f)), 0), 25 * KB]);
  }
  for (const html of listFiles(OUT).filter((f) => f.endsWith('.html'))) {
    const files = pageFiles(html);
    budgeted.push([`page ${html}`, files, files.reduce((s, f) => s + gz(path.join(OUT, f)), 0), 40 * KB]);
  }
  for (const [figure, files, bytes, budget] of budgeted) {
    rows.push({
      group: 'size (gzip -9, chrome-mv3)',
      figure,
      target: `≤ ${kb(budget)}`,
      measured: kb(bytes),
      ok: bytes <= budget,
      note: files.join(' + '),
    });
  }
  let total = 0;
  for (const f of listFiles(OUT)) {
    const bytes = gz(path.join(OUT, f));
    total += bytes;
    rows.push({ group: 'size of each built file (gzip -9)', figure: f, measured: kb(bytes) });
  }
  rows.push({ group: 'size of each built file (gzip -9)', figure: 'all files', measured: kb(total) });
}

// ------------------------------------------------------------------------------------ sub-benchmarks

/** The JSON a sub-benchmark printed: the whole output, else its last JSON-looking line, else from the first brace. */
function parseJsonOutput(stdout) {
  const attempts = [
    stdout,
    ...stdout
      .split('\n')
      .filter((l) => /^\s*[[{]/.test(l))
      .reverse(),
    stdout.slice(Math.min(...['{', '['].map((c) => stdout.indexOf(c)).filter((i) => i >= 0))),
  ];
  for (const text of attempts) {
    try {
      return JSON.parse(text);
    } catch {
      // try the next shape
    }
  }
  throw new Error('no JSON in its output');
}

const fmt = (v, unit) =>
  v === undefined || v === null
    ? ''
    : `${typeof v === 'number' ? +v.toFixed(3) : v}${unit ? ` ${unit}` : ''}`;

/**
 * Rows from a sub-benchmark's JSON. Understood shapes: an array of figures, or `{ figures | results | rows:
 * [...] }`, each figure `{ figure | name | label, measured | value, target?, unit?, ok? }`; any other object
 * is shown key by key (numbers and strings), without targets.
 */
function rowsFrom(group, data) {
  const list = Array.isArray(data) ? data : (data.figures ?? data.results ?? data.rows);
  if (Array.isArray(list)) {
    return list.map((f) => ({
      group,
      figure: String(f.figure ?? f.name ?? f.label ?? f.id ?? '?'),
      target: typeof f.target === 'number' ? fmt(f.target, f.unit) : (f.target ?? undefined),
      measured: fmt(f.measured ?? f.value, f.unit),
      ok: typeof f.ok === 'boolean' ? f.ok : undefined,
      note: f.note ?? f.description,
    }));
  }
  const out = [];
  const walk = (obj, prefix) => {
    for (const [k, v] of Object.entries(obj)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, `${prefix}${k}.`);
      else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') {
        out.push({
          group,
          figure: `${prefix}${k}`,
          measured: String(typeof v === 'number' ? +v.toFixed(3) : v),
        });
      }
    }
  };
  walk(data, '');
  return out;
}

function subBenchmark(script, group) {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  if (!pkg.scripts?.[script]) {
    rows.push({ group, figure: `npm run ${script}`, measured: 'not available', note: 'no such script yet' });
    return;
  }
  const t0 = Date.now();
  process.stderr.write(`running npm run ${script} -- --json …\n`);
  const res = spawnSync('npm', ['run', '-s', script, '--', '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const took = `${((Date.now() - t0) / 1000).toFixed(0)} s`;
  if (res.status !== 0) {
    rows.push({
      group,
      figure: `npm run ${script}`,
      measured: 'not available',
      note: `exit ${res.status ?? res.signal} after ${took}`,
    });
    return;
  }
  try {
    rows.push(...rowsFrom(group, parseJsonOutput(res.stdout)));
  } catch (error) {
    rows.push({ group, figure: `npm run ${script}`, measured: 'not available', note: String(error) });
  }
}

// ------------------------------------------------------------------------------------------- report

if (wants('size')) sizes();
if (wants('content')) subBenchmark('bench:content', 'content script (npm run bench:content)');
if (wants('server')) subBenchmark('bench:server', 'wallet server (npm run bench:server)');

if (asJson) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const head = ['figure', 'target', 'measured', 'pass/fail', 'note'];
  const cells = rows.map((r) => [
    r.figure,
    r.target ?? '',
    r.measured,
    r.ok === undefined ? '' : r.ok ? 'pass' : 'FAIL',
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
  const line = (c) =>
    c
      .map((v, i) => String(v).padEnd(/** @type {number} */ (widths[i])))
      .join('  ')
      .trimEnd();
  let group;
  console.log(line(head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  rows.forEach((r, i) => {
    if (r.group !== group) {
      group = r.group;
      console.log(`${group}`);
    }
    console.log(line(/** @type {string[]} */ (cells[i])));
  });
}
const missed = rows.filter((r) => r.ok === false);
if (missed.length)
  console.error(
    `\n${missed.length} figure(s) missed their target: ${missed.map((r) => r.figure).join(', ')}`,
  );
process.exit(missed.length ? 1 : 0);
