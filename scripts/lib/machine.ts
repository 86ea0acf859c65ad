/**
 * What the tests need from the machine, found in one place: a Chromium, a Firefox, PostgreSQL's server
 * binaries (≥ 15) and fonts. `npm test` checks them before any slow step (scripts/test.mjs), installs what is
 * missing with apt-get when it can (root on Debian), and otherwise stops at once with the command to run.
 * The e2e and Firefox harnesses find their browser with the same functions.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const SYSTEM_CHROMIUMS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

export const SYSTEM_FIREFOXES = [
  '/usr/bin/firefox-esr',
  '/usr/bin/firefox',
  '/usr/lib/firefox-esr/firefox-esr',
  '/usr/lib/firefox/firefox',
  '/snap/bin/firefox',
  '/Applications/Firefox.app/Contents/MacOS/firefox',
];

/** PostgreSQL's oldest supported major version for the wallet (its migrations use PostgreSQL 15 features). */
export const MIN_POSTGRES_MAJOR = 15;

/** Playwright's own Chromium, when this machine has downloaded one (`npx playwright install chromium`). */
async function playwrightChromium(): Promise<string | undefined> {
  try {
    const { chromium } = await import('@playwright/test');
    const bundled = chromium.executablePath();
    return bundled && fs.existsSync(bundled) ? bundled : undefined;
  } catch {
    return undefined;
  }
}

/** `CHROMIUM_PATH` (undefined when it names no file), else a system Chromium (Debian's `chromium` first). */
export function systemChromiumPath(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  return SYSTEM_CHROMIUMS.find((p) => fs.existsSync(p));
}

/** {@link systemChromiumPath}, else Playwright's own Chromium; or undefined. */
export async function chromiumPath(): Promise<string | undefined> {
  if (process.env.CHROMIUM_PATH) return systemChromiumPath();
  return systemChromiumPath() ?? (await playwrightChromium());
}

/** `FIREFOX_PATH`, else a system Firefox (Debian's `firefox-esr` first); or undefined. */
export function firefoxPath(): string | undefined {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  return SYSTEM_FIREFOXES.find((p) => fs.existsSync(p));
}

export interface PostgresBin {
  dir: string;
  major: number;
}

function majorOf(initdb: string): number | undefined {
  const r = spawnSync(initdb, ['--version'], { encoding: 'utf8' });
  const m = /(\d+)(?:\.\d+)?/.exec(r.stdout ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * PostgreSQL's server binaries (initdb, pg_ctl), newest first: `PG_BIN`, Debian's /usr/lib/postgresql/N/bin,
 * `pg_config --bindir`, then whatever `initdb` is on the PATH. Only a major version ≥ 15 counts.
 */
export function postgresBin(): PostgresBin | undefined {
  const dirs: string[] = [];
  if (process.env.PG_BIN) dirs.push(process.env.PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    dirs.push(
      ...fs
        .readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => path.join(debian, v, 'bin')),
    );
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0 && pgConfig.stdout.trim()) dirs.push(pgConfig.stdout.trim());
  for (const p of (process.env.PATH ?? '').split(path.delimiter)) if (p) dirs.push(p);
  for (const dir of dirs) {
    const initdb = path.join(dir, 'initdb');
    if (!fs.existsSync(initdb) || !fs.existsSync(path.join(dir, 'pg_ctl'))) continue;
    const major = majorOf(initdb);
    if (major !== undefined && major >= MIN_POSTGRES_MAJOR) return { dir, major };
  }
  return undefined;
}

/** Some scalable font the browsers can lay text out with (Debian: fonts-liberation). */
export function hasFonts(): boolean {
  const roots = ['/usr/share/fonts', '/usr/local/share/fonts', '/System/Library/Fonts', '/Library/Fonts'];
  const isFont = (f: string) => /\.(ttf|otf|ttc)$/i.test(f);
  for (const root of roots) {
    if (!fs.existsSync(root)) continue;
    try {
      const found = fs.readdirSync(root, { recursive: true }).some((f) => isFont(String(f)));
      if (found) return true;
    } catch {
      // unreadable folder: look at the next one
    }
  }
  return false;
}

export type Requirement = 'chromium' | 'firefox' | 'postgres' | 'fonts';

/** One thing missing: what it is, its Debian package, and how else to provide it. */
export interface Missing {
  need: Requirement;
  what: string;
  debian: string;
  otherwise: string;
}

const DESCRIPTIONS: Record<Requirement, Omit<Missing, 'need'>> = {
  chromium: {
    what: 'Chromium (the end-to-end tests)',
    debian: 'chromium',
    otherwise: 'or set CHROMIUM_PATH to a Chromium or Chrome binary',
  },
  firefox: {
    what: 'Firefox (the Firefox test)',
    debian: 'firefox-esr',
    otherwise: 'or set FIREFOX_PATH to a Firefox binary',
  },
  postgres: {
    what: `PostgreSQL ≥ ${MIN_POSTGRES_MAJOR} server binaries (the PostgreSQL half of the server tests)`,
    debian: 'postgresql',
    otherwise: 'or set PG_BIN to their folder, or DATABASE_URL to a PostgreSQL you own',
  },
  fonts: {
    what: 'fonts (text layout in the browser tests)',
    debian: 'fonts-liberation',
    otherwise: 'or install any TrueType fonts',
  },
};

/** What of `needs` this machine lacks (a PostgreSQL given by DATABASE_URL needs no binaries). */
export async function missing(needs: Iterable<Requirement>): Promise<Missing[]> {
  const out: Missing[] = [];
  for (const need of new Set(needs)) {
    const ok =
      need === 'chromium'
        ? !!(await chromiumPath())
        : need === 'firefox'
          ? !!firefoxPath()
          : need === 'postgres'
            ? !!process.env.DATABASE_URL || !!postgresBin()
            : hasFonts();
    if (!ok) out.push({ need, ...DESCRIPTIONS[need] });
  }
  return out;
}

/** " (CHROMIUM_PATH=… does not exist)" when the variable that would provide `need` names no file. */
function givenPath(need: Requirement): string {
  const name = { chromium: 'CHROMIUM_PATH', firefox: 'FIREFOX_PATH', postgres: 'PG_BIN', fonts: '' }[need];
  const value = name ? process.env[name] : undefined;
  return value && !fs.existsSync(value) ? ` (${name}=${value} does not exist)` : '';
}

const hasCommand = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

export function aptInstallCommand(items: Missing[]): string {
  return `apt-get install -y --no-install-recommends ${items.map((m) => m.debian).join(' ')}`;
}

/**
 * Makes sure the machine has `needs`. What is missing is installed with apt-get when this process is root on a
 * machine that has it (saying so first) and `TEST_NO_INSTALL` is not set; otherwise throws one message naming
 * everything missing and the exact command to install it.
 */
export async function ensureMachine(
  needs: Iterable<Requirement>,
  log: (line: string) => void = console.log,
): Promise<void> {
  const lacking = await missing(needs);
  if (!lacking.length) return;
  const canInstall =
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    !process.env.TEST_NO_INSTALL &&
    hasCommand('apt-get');
  if (canInstall) {
    log(`npm test: installing what the tests need: ${lacking.map((m) => m.debian).join(', ')} (apt-get)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    const install =
      update.status === 0 &&
      spawnSync(
        'apt-get',
        ['install', '-y', '-q', '--no-install-recommends', ...lacking.map((m) => m.debian)],
        {
          stdio: 'inherit',
          env,
        },
      );
    const still = await missing(lacking.map((m) => m.need));
    if (install && install.status === 0 && !still.length) return;
    throw new Error(
      `npm test: apt-get could not install ${(still.length ? still : lacking).map((m) => m.debian).join(' ')}; ` +
        'see its output above.',
    );
  }
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  throw new Error(
    [
      'npm test: this machine lacks what the tests need:',
      ...lacking.map((m) => `  - ${m.what}: Debian package ${m.debian}, ${m.otherwise}${givenPath(m.need)}`),
      `Install them with:\n  ${sudo}apt-get update && ${sudo}${aptInstallCommand(lacking)}`,
      'then run `npm test` again (or only some steps, e.g. `npm test -- static unit`).',
    ].join('\n'),
  );
}
