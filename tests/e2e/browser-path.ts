import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from '@playwright/test';
import { systemChromiumPath } from '../../scripts/lib/machine';

/** The built Chrome extension (`npx wxt build`). */
export const EXTENSION_DIR = path.resolve('.output/chrome-mv3');

/**
 * The Chromium to test with: `CHROMIUM_PATH`, else a system Chromium (Debian's `chromium` first), else
 * Playwright's own download when the machine has one. Throws a clear message when there is none
 * (`npm test` checks this before any test runs: scripts/lib/machine.ts).
 */
export function findChromium(): string {
  const system = systemChromiumPath();
  if (system) return system;
  let bundled: string | undefined;
  try {
    bundled = process.env.CHROMIUM_PATH ? undefined : chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled && fs.existsSync(bundled)) return bundled;
  throw new Error(
    process.env.CHROMIUM_PATH
      ? `CHROMIUM_PATH is set to ${process.env.CHROMIUM_PATH}, which does not exist.`
      : 'No Chromium found. Install the system one (Debian: `apt-get install chromium`), set CHROMIUM_PATH, ' +
          'or run `npx playwright install chromium` where downloads are allowed.',
  );
}

type ContextOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>;

/**
 * Headless Chromium (findChromium) on a throw-away profile, with the built extension loaded unless
 * `withExtension` is false; `args` are added to the quiet defaults. `close` also removes the profile.
 * Used by the e2e fixtures, `npm run demo` and `npm run bench:content`.
 */
export async function launchChromium(
  opts: { withExtension?: boolean; args?: string[]; options?: Omit<ContextOptions, 'args'> } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const withExtension = opts.withExtension ?? true;
  if (withExtension && !fs.existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No build in ${EXTENSION_DIR}: run \`npx wxt build\` first.`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: findChromium(),
    headless: true,
    ...opts.options,
    args: [
      ...(withExtension
        ? [`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`]
        : []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(opts.args ?? []),
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
