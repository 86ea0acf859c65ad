/**
 * Firefox harness: the system Firefox (ESR) driven by puppeteer-core over WebDriver BiDi, with the built
 * extension installed as a temporary add-on.
 *
 * Things this file works around, found on Firefox ESR 153 + puppeteer-core 24.43:
 * - BiDi refuses to navigate to `moz-extension://` unless Firefox starts with `--remote-allow-system-access`;
 *   even then `page.goto()` never resolves for such a URL, so {@link FirefoxWithExtension.openExtensionPage}
 *   starts the navigation without awaiting it and polls the document instead.
 * - A window the extension opens itself (`windows.create`) shows up as a page whose `page.url()` stays
 *   `about:blank`; {@link FirefoxWithExtension.waitForExtensionPage} asks each page for its real `location`.
 * - The `moz-extension://` host is random per profile unless fixed by the `extensions.webextensions.uuids` pref.
 */
import fs from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import { firefoxPath, SYSTEM_FIREFOXES } from '../../scripts/lib/machine';

/** The extension's fixed `moz-extension://` host in tests. */
export const EXTENSION_UUID = '7e1f0c3a-5b2d-4c8e-9a61-2f4d8b7c9e05';

/**
 * The Firefox to test with: `FIREFOX_PATH`, else a system Firefox (Debian's `firefox-esr` first).
 * Throws a clear message when there is none.
 */
export function findFirefox(): string {
  const found = firefoxPath();
  if (found) return found;
  if (process.env.FIREFOX_PATH)
    throw new Error(`FIREFOX_PATH is set to ${process.env.FIREFOX_PATH}, which does not exist.`);
  throw new Error(
    'No Firefox found. Install the system one (Debian: `apt-get install firefox-esr`) or set FIREFOX_PATH ' +
      `to a Firefox binary (looked in ${SYSTEM_FIREFOXES.join(', ')}).`,
  );
}

/** The gecko id the built manifest declares (`browser_specific_settings.gecko.id`). */
export function geckoId(extensionDir: string): string {
  const manifestPath = path.join(extensionDir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`No build in ${extensionDir}: run \`npx wxt build -b firefox\` first.`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${manifestPath} has no browser_specific_settings.gecko.id`);
  return id;
}

/** A response for an intercepted request; `undefined` lets the request go to the network. */
export interface RoutedResponse {
  status?: number;
  contentType: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}
export type Router = (url: URL) => RoutedResponse | undefined | Promise<RoutedResponse | undefined>;

export interface FirefoxWithExtension {
  browser: Browser;
  /** The gecko id returned by `browser.installExtension`. */
  extensionId: string;
  /** `moz-extension://<uuid>/<file>`. */
  extensionUrl(file: string): string;
  /** Opens an extension page (popup.html, options.html…) in a new tab and waits for its document. */
  openExtensionPage(file: string, options?: { window?: boolean }): Promise<Page>;
  /** Waits for a page the extension opened itself (e.g. the confirm window) whose URL starts with `file`. */
  waitForExtensionPage(file: string, timeoutMs?: number): Promise<Page>;
  /** A new tab whose requests go through `router` (BiDi network interception). */
  newRoutedPage(router: Router): Promise<Page>;
  close(): Promise<void>;
}

/** Headless Firefox over WebDriver BiDi, quiet and deterministic, with `prefs` added. */
export function launchHeadlessFirefox(prefs: Record<string, unknown> = {}): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: true,
    // Generous: on a loaded machine (2 cores shared by parallel test runs) Firefox can take 30 s to start.
    timeout: 120_000,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      // No first-run pages, no telemetry, no update checks.
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'app.update.enabled': false,
      'intl.accept_languages': 'en-US, en',
      'intl.locale.requested': 'en-US',
      ...prefs,
    },
  });
}

/** Launches headless Firefox with the unpacked build in `extensionDir` installed as a temporary add-on. */
export async function launchFirefox(extensionDir = '.output/firefox-mv2'): Promise<FirefoxWithExtension> {
  const dir = path.resolve(extensionDir);
  const id = geckoId(dir);
  const browser = await launchHeadlessFirefox({
    'extensions.webextensions.uuids': JSON.stringify({ [id]: EXTENSION_UUID }),
  });
  try {
    const extensionId = await browser.installExtension(dir);
    if (extensionId !== id) throw new Error(`installed ${extensionId}, expected ${id}`);
    const extensionUrl = (file: string) => `moz-extension://${EXTENSION_UUID}/${file.replace(/^\//, '')}`;

    const locationOf = (page: Page) => page.evaluate(() => location.href).catch(() => '');

    return {
      browser,
      extensionId,
      extensionUrl,
      async openExtensionPage(file, { window = false } = {}) {
        const page = await browser.newPage(window ? { type: 'window' } : undefined);
        const url = extensionUrl(file);
        // Not awaited on purpose: with BiDi, goto() to moz-extension:// never resolves.
        page.goto(url, { timeout: 0 }).catch(() => undefined);
        // Polled from here rather than with waitForFunction, which fails ("Waiting failed") when the
        // navigation replaces the document it runs in.
        const deadline = Date.now() + 30_000;
        for (;;) {
          const state = await page
            .evaluate(() => ({ href: location.href, ready: document.readyState }))
            .catch(() => null);
          if (state?.href === url && state.ready === 'complete') return page;
          if (Date.now() > deadline) {
            throw new Error(`${url} did not load within 30 s (the tab shows ${state?.href ?? 'nothing'})`);
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
      async waitForExtensionPage(file, timeoutMs = 15_000) {
        const prefix = extensionUrl(file);
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          for (const page of await browser.pages()) {
            if ((await locationOf(page)).startsWith(prefix)) return page;
          }
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
        const seen = await Promise.all((await browser.pages()).map(locationOf));
        throw new Error(`no page ${prefix} within ${timeoutMs} ms; open pages: ${seen.join(', ')}`);
      },
      async newRoutedPage(router) {
        const page = await browser.newPage();
        await routePage(page, router);
        return page;
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * Serves `page`'s requests from `router` (WebDriver BiDi `network.addIntercept` + `provideResponse`, which
 * puppeteer 24 maps `setRequestInterception` to). Works for any origin, https://x.com included: the response
 * never touches the network, so no DNS, proxy or certificate is involved, and the page is a secure context.
 */
export async function routePage(page: Page, router: Router): Promise<void> {
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    void respond(request, router).catch((error: unknown) => {
      console.error(`routing ${request.url()} failed:`, error);
    });
  });
}

async function respond(request: HTTPRequest, router: Router): Promise<void> {
  let url: URL;
  try {
    url = new URL(request.url());
  } catch {
    return request.continue();
  }
  const routed = await router(url);
  if (!routed) return request.continue();
  return request.respond({
    status: routed.status ?? 200,
    contentType: routed.contentType,
    headers: routed.headers,
    body: routed.body,
  });
}
