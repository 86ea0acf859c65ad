import fs from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM_CHROMIUMS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/**
 * The Chromium to test with: `CHROMIUM_PATH`, else a system Chromium (Debian's `chromium` first), else
 * Playwright's own download when the machine has one. Throws a clear message when there is none.
 */
export function findChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, ...SYSTEM_CHROMIUMS].filter((p): p is string => !!p);
  for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
  let bundled: string | undefined;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled && fs.existsSync(bundled)) return bundled;
  throw new Error(
    'No Chromium found. Install the system one (Debian: `apt-get install chromium`), set CHROMIUM_PATH, ' +
      'or run `npx playwright install chromium` where downloads are allowed.',
  );
}
