/**
 * The extension in Firefox ESR (MV2 build), driven over WebDriver BiDi, with the real wallet server and the
 * offline X pages (tests/fixtures/x, served by request interception: tests/firefox/x-pages.ts).
 *
 * ONE Firefox and ONE wallet for the whole Firefox suite — launching them is the slow part, so they start
 * together, and every check lives in this file. The suites run in order; "paying on X" builds on itself
 * (signed in → Pay buttons → confirm window → composer filled).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { Page } from 'puppeteer-core';
import { startWalletServer, type WalletServer } from '../../server/start';
import { DEMO_PASSWORD, DEMO_SEED, TEST_X_CONSUMER_SECRET } from '../e2e/wallet-server';
import type { AuditRow, XHooks } from '../e2e/x-pages';
import { launchFirefox, routePage, type FirefoxWithExtension } from './firefox';
import { routeXInFirefox } from './x-pages';

const ME = { email: 'me@demo.test', password: DEMO_PASSWORD };
/** A post by @alice in the fixtures (timeline index 0), and its page. */
const ALICE_POST = '1800000000000000000';
const TIMEOUT = { timeout: 30_000 };

/** The WebExtension API of an extension page, as seen from `page.evaluate`. */
interface ExtensionGlobals {
  browser: { storage: { local: { set(items: Record<string, unknown>): Promise<void> } } };
}

declare global {
  interface Window {
    __x?: XHooks;
  }
}

async function walletGet<T>(wallet: WalletServer, path: string): Promise<T> {
  const login = await fetch(`${wallet.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ME),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const res = await fetch(`${wallet.url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
  assert.equal(res.status, 200, `GET ${path}`);
  return (await res.json()) as T;
}

let ff: FirefoxWithExtension;
let wallet: WalletServer;

// With a time limit: a Firefox that never comes up fails the run instead of hanging it.
before(
  async () => {
    // Started together; each is assigned as soon as it is up, so `after` closes whatever did start.
    await Promise.all([
      startWalletServer({
        port: 0,
        dataDir: 'memory://',
        seed: DEMO_SEED,
        sandbox: true,
        xConsumerSecret: TEST_X_CONSUMER_SECRET,
        sweepIntervalMs: 0,
        log: false,
        scryptN: 1024,
      }).then((w) => (wallet = w)),
      launchFirefox('.output/firefox-mv2').then((f) => (ff = f)),
    ]);
  },
  { timeout: 120_000 },
);
after(async () => {
  await ff?.close();
  await wallet?.close();
});

describe('Firefox extension', () => {
  it('should install as a temporary add-on with its gecko id', () => {
    assert.equal(ff.extensionId, 'tweetez-payez@tweetezpayez.example');
  });

  it('should render the popup', async () => {
    const popup = await ff.openExtensionPage('popup.html');
    await popup.waitForSelector('[data-testid="popup-root"]', TIMEOUT);
    assert.equal(await popup.evaluate(() => document.title), 'Tweetez Payez');
    await popup.close();
  });

  it('should reach a wallet server on this machine on any port, without CORS headers', async () => {
    // Firefox match patterns cannot carry a port: `http://127.0.0.1:8787/*` would grant nothing at all.
    const server = http.createServer((_req, res) => res.end('{"status":"ok"}'));
    server.unref();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let page: Page | undefined;
    try {
      page = await ff.openExtensionPage('options.html');
      const extensionPage = page;
      for (const host of ['127.0.0.1', 'localhost']) {
        const body: string = await extensionPage.evaluate(
          (url: string) =>
            fetch(url).then(
              (r) => r.text(),
              (e: unknown) => `failed: ${String(e)}`,
            ),
          `http://${host}:${port}/v1/health`,
        );
        assert.equal(body, '{"status":"ok"}', host);
      }
    } finally {
      await page?.close();
      server.close();
    }
  });
});

const PAGE = `<!doctype html><html><body>
<div id="editor" contenteditable="true"></div>
<script>
  window.received = [];
  document.getElementById('editor').addEventListener('paste', (e) => {
    const data = e.clipboardData;
    const types = Array.from((data && data.types) || []);
    const text = data && types.indexOf('text/plain') !== -1 ? data.getData('text/plain') : '';
    window.received.push({ trusted: e.isTrusted, types, text, html: data ? data.getData('text/html') : null });
    if (text) e.preventDefault();
  });
</script></body></html>`;

/** The test extension's content script: pastes on request from the page, reports dispatchPaste's result. */
const CONTENT = `import { dispatchPaste } from ${JSON.stringify(path.resolve('utils/x/paste.ts'))};
window.addEventListener('message', (e) => {
  if (e.source !== window || !e.data || e.data.type !== 'paste-please') return;
  const editor = document.getElementById('editor');
  editor.focus();
  document.documentElement.dataset.notHandled = String(dispatchPaste(editor, e.data.text));
});
document.documentElement.dataset.contentScript = 'ready';`;

/**
 * utils/x/paste.ts in a real Firefox content script: a paste built by the content script must reach the page's
 * own paste listener with its text (Firefox's Xray wrappers and its ClipboardEvent constructor make the plain
 * DataTransfer way arrive empty; see paste.ts). The content script is the real module, bundled into a
 * throw-away extension that runs on its own test host only; the page listener reads `clipboardData` the way
 * Draft.js does.
 */
describe('synthetic paste from a Firefox content script', () => {
  const HOST = 'paste-test.tweetezpayez.example';
  let page: Page;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-paste-ext-'));
    fs.writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({
        manifest_version: 2,
        name: 'paste test',
        version: '1.0',
        browser_specific_settings: { gecko: { id: 'paste-test@tweetezpayez.example' } },
        content_scripts: [{ matches: [`https://${HOST}/*`], js: ['content.js'], run_at: 'document_idle' }],
      }),
    );
    await build({
      stdin: { contents: CONTENT, resolveDir: process.cwd(), loader: 'js' },
      bundle: true,
      format: 'iife',
      target: 'firefox128',
      outfile: path.join(dir, 'content.js'),
      logLevel: 'silent',
    });
    await ff.browser.installExtension(dir);
    page = await ff.browser.newPage();
    await routePage(page, (url) =>
      url.hostname === HOST && url.pathname === '/'
        ? { contentType: 'text/html; charset=utf-8', body: PAGE }
        : { status: 404, contentType: 'text/plain', body: '' },
    );
    await page.goto(`https://${HOST}/`);
    await page.waitForFunction(() => document.documentElement.dataset.contentScript === 'ready', TIMEOUT);
  });
  after(async () => {
    await page?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should deliver the text, paragraphs included, to the page and see it handled', async () => {
    const text = '@SMoneyfr #envoyer 12,50EUR @alice\n\nMerci pour le café ☕';
    await page.evaluate((t) => window.postMessage({ type: 'paste-please', text: t }, '*'), text);
    await page.waitForFunction(() => document.documentElement.dataset.notHandled !== undefined);
    const received = await page.evaluate(() => (window as unknown as { received: unknown[] }).received);
    assert.deepEqual(received, [{ trusted: false, types: ['text/plain'], text, html: '' }]);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.notHandled), 'false');
  });
});

describe('Firefox: paying on X with the real wallet server', () => {
  let x: Page;

  before(async () => {
    // What the options page saves: this wallet server (any local port is granted by the manifest).
    const page = await ff.openExtensionPage('options.html');
    await page.evaluate(
      (walletUrl: string) =>
        (globalThis as unknown as ExtensionGlobals).browser.storage.local.set({
          settings: { walletUrl, language: 'en' },
        }),
      wallet.url,
    );
    await page.close();
    x = await ff.browser.newPage();
    await routeXInFirefox(x, { lang: 'en' });
  });

  it('should sign in from the popup and show the balance the wallet server holds', async () => {
    const popup = await ff.openExtensionPage('popup.html');
    await popup.waitForSelector('[data-testid="signin-email"]', TIMEOUT);
    await popup.type('[data-testid="signin-email"]', ME.email);
    await popup.type('[data-testid="signin-password"]', ME.password);
    await popup.click('[data-testid="signin-submit"]');
    const balance = await popup.waitForSelector('[data-testid="balance-available"]', TIMEOUT);
    const me = await walletGet<{ balance: { availableCents: number } }>(wallet, '/v1/me');
    assert.equal(me.balance.availableCents, 100_000);
    assert.equal(await balance?.evaluate((el) => el.textContent?.trim()), '€1,000.00');
    // The X account card (Sign in with X) shows the account's linked handle.
    const linked = await popup.waitForSelector('[data-testid="x-link-status"]', TIMEOUT);
    assert.equal(await linked?.evaluate((el) => el.textContent?.trim()), 'Linked as @tp_me');
    await popup.close();
  });

  it('should put a Pay button on every payable post of the timeline, and none on the others', async () => {
    await x.goto('https://x.com/home');
    await x.waitForSelector('article [data-tweetez-payez="tweet"]', TIMEOUT);
    await x.waitForFunction(
      () => window.__x?.audit().every((r) => r.hosts === (r.expected ? 1 : 0)),
      TIMEOUT,
    );
    const rows: AuditRow[] = await x.evaluate(() => window.__x?.audit() ?? []);
    assert.ok(rows.filter((r) => r.expected).length >= 3, `payable posts on screen: ${JSON.stringify(rows)}`);
    assert.ok(
      rows.some((r) => !r.expected),
      'an unpayable post (ad or own) is on screen',
    );
    for (const row of rows) {
      assert.equal(row.hosts, row.expected ? 1 : 0, row.postId);
      if (row.expected) assert.equal(row.lastInBar, true, row.postId);
    }
    // Their shadow roots are closed: the page cannot reach (or relabel) the buttons.
    const open = await x.evaluate(
      () =>
        [...document.querySelectorAll('[data-tweetez-payez]')].filter((h) => h.shadowRoot !== null).length,
    );
    assert.equal(open, 0);
  });

  it("should put a Pay button in a profile's header", async () => {
    await x.goto('https://x.com/alice');
    const host = await x.waitForSelector('[data-tweetez-payez="profile"]', TIMEOUT);
    assert.equal(await host?.evaluate((h) => h.shadowRoot), null);
  });

  it('should open the confirm window for the post whose Pay button was clicked', async () => {
    await x.goto(`https://x.com/alice/status/${ALICE_POST}`);
    const pay = await x.waitForSelector('article [data-tweetez-payez="tweet"]', TIMEOUT);
    await pay?.click(); // at its centre: on the button, which fills the host
    const confirm = await ff.waitForExtensionPage('confirm.html');
    const recipient = await confirm.waitForSelector('[data-testid="recipient-handle"]', TIMEOUT);
    assert.equal(await recipient?.evaluate((el) => el.textContent?.trim()), '@alice');
  });

  it('should fill the reply box with the payment tweet after Confirm, and post nothing', async () => {
    const confirm = await ff.waitForExtensionPage('confirm.html');
    await confirm.click('[data-testid="preset-500"]');
    await confirm.click('[data-testid="mode-tweet"]');
    // The Confirm button arms after the window has had focus for about a second.
    await confirm.waitForSelector('[data-testid="confirm-button"]:not([disabled])', TIMEOUT);
    await confirm.click('[data-testid="confirm-button"]');
    await confirm.waitForSelector('[data-testid="fill-outcome"]', TIMEOUT);

    const { items } = await walletGet<{
      items: { tweetText: string; status: string; amountCents: number }[];
    }>(wallet, '/v1/payments');
    const payment = items[0];
    assert.equal(payment?.status, 'awaiting_tweet');
    assert.equal(payment?.amountCents, 500);
    assert.match(payment?.tweetText ?? '', /^@SMoneyfr #envoyer 5EUR @alice\b/);

    const composer = await x.waitForFunction(
      (text: string) => {
        const editor = document.querySelector('[data-testid^="tweetTextarea_"][contenteditable="true"]');
        const blocks = [...(editor?.querySelectorAll('[data-block="true"]') ?? [])].map((b) => b.textContent);
        const button = document.querySelector(
          '[data-testid="tweetButtonInline"], [data-testid="tweetButton"]',
        );
        return blocks.join('\n') === text && button && !button.hasAttribute('disabled');
      },
      TIMEOUT,
      payment?.tweetText ?? '',
    );
    assert.ok(composer);
    assert.deepEqual(await x.evaluate(() => window.__x?.posted ?? null), []);
  });

  it("should keep a Pay button's events from the page, and pay nothing for the page's own clicks", async () => {
    await x.goto('https://x.com/home');
    const selector = 'article [data-tweetez-payez="tweet"]';
    await x.waitForSelector(selector, TIMEOUT);
    const confirmWindows = async () =>
      (await ff.browser.pages()).filter((p) => p.url().startsWith(ff.extensionUrl('confirm.html'))).length;
    const before = await confirmWindows();
    // The page listens below the document (its article) and at the document in the bubble phase, like X's
    // own handlers, then clicks and presses Enter on the button itself (untrusted events).
    await x.evaluate((sel: string) => {
      const host = document.querySelector(sel) as HTMLElement;
      const article = host.closest('article') as HTMLElement;
      const seen: string[] = [];
      (window as unknown as { __seen: string[] }).__seen = seen;
      for (const type of ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'keydown']) {
        // Listeners passed inline: tsx would wrap a named function in a `__name` helper the page lacks.
        const targets: [EventTarget, string, boolean][] = [
          [article, 'article-capture', true],
          [article, 'article', false],
          [document, 'document', false],
        ];
        for (const [target, where, capture] of targets) {
          target.addEventListener(
            type,
            (e) => {
              if (e.target === host) seen.push(`${where}:${type}:${e.isTrusted ? 'trusted' : 'page'}`);
            },
            capture,
          );
        }
      }
      // The shadow root is closed: the host is all the page gets (were it open, these would aim at the button).
      const button = (host.shadowRoot?.querySelector('button') ?? host) as HTMLElement;
      button.click();
      host.click();
      button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
      // What a real click shows the page, from the first listener of all (window, capture phase).
      const paths: string[][] = [];
      (window as unknown as { __paths: string[][] }).__paths = paths;
      window.addEventListener(
        'click',
        (e) => {
          if (e.target === host) paths.push(e.composedPath().map((n) => (n as Element).tagName ?? '#'));
        },
        true,
      );
    }, selector);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(await confirmWindows(), before, "no confirm window for the page's own clicks");
    // A real click: the page's listeners see none of its events (stopped at the document, capture phase).
    const host = await x.waitForSelector(selector, TIMEOUT);
    await host?.click();
    await ff.waitForExtensionPage('confirm.html');
    assert.deepEqual(await x.evaluate(() => (window as unknown as { __seen: string[] }).__seen), []);
    // The one listener that ran before ours saw the host, never the button inside it.
    const paths = await x.evaluate(() => (window as unknown as { __paths: string[][] }).__paths);
    assert.ok(paths.length > 0);
    for (const path of paths) assert.ok(!path.includes('BUTTON'), path.join(' > '));
  });

  it('should pay nobody for a post whose shown @handle and links disagree, or whose author changes at the press', async () => {
    await x.goto('https://x.com/home');
    await x.waitForSelector('article [data-tweetez-payez="tweet"]', TIMEOUT);
    /** The pending Pay requests the background holds (read from an extension page). */
    const requests = async () => {
      const page = await ff.openExtensionPage('options.html');
      try {
        return await page.evaluate(async () => {
          const session = (
            globalThis as unknown as {
              browser: { storage: { session: { get(k: string): Promise<Record<string, unknown>> } } };
            }
          ).browser.storage.session;
          const all = ((await session.get('requests')).requests ?? {}) as Record<
            string,
            { recipientHandle: string }
          >;
          return Object.entries(all).map(([id, r]) => `${id}:${r.recipientHandle}`);
        });
      } finally {
        await page.close();
      }
    };
    const before = await requests();
    // Tag two payable posts; the first shows another @handle (its text rewritten in place, links untouched).
    await x.evaluate(() => {
      const posts = [...document.querySelectorAll('article[data-testid="tweet"]')].filter((a) =>
        a.querySelector('[data-tweetez-payez="tweet"]'),
      );
      posts.slice(0, 2).forEach((a, i) => a.setAttribute('data-red', String(i)));
      const walker = document.createTreeWalker(
        posts[0]!.querySelector('[data-testid="User-Name"]')!,
        NodeFilter.SHOW_TEXT,
      );
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const t = n as Text;
        if (t.data.trim().startsWith('@')) t.data = '@alicepays';
      }
    });
    await x.waitForFunction(
      () => !document.querySelector('article[data-red="0"] [data-tweetez-payez]'),
      TIMEOUT,
    );
    // The second post's whole author becomes @mallory_pay at the user's pointerdown.
    await x.evaluate(() => {
      window.addEventListener(
        'pointerdown',
        () => {
          const article = document.querySelector('article[data-red="1"]')!;
          const from = /^\/([A-Za-z0-9_]+)(?=\/|$)/;
          for (const a of article.querySelectorAll('a[href]')) {
            const href = a.getAttribute('href')!;
            if (!a.closest('div[role="link"]') && from.test(href) && !href.startsWith('/i/'))
              a.setAttribute('href', href.replace(from, '/mallory_pay'));
          }
          article
            .querySelector('[data-testid^="UserAvatar-Container-"]')
            ?.setAttribute('data-testid', 'UserAvatar-Container-mallory_pay');
          const walker = document.createTreeWalker(
            article.querySelector('[data-testid="User-Name"]')!,
            NodeFilter.SHOW_TEXT,
          );
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const t = n as Text;
            if (t.data.trim().startsWith('@')) t.data = '@mallory_pay';
          }
          article.setAttribute('data-rewritten', '');
        },
        { capture: true, once: true },
      );
    });
    const host = await x.waitForSelector('article[data-red="1"] [data-tweetez-payez="tweet"]', TIMEOUT);
    await host?.click();
    await x.waitForSelector('article[data-red="1"][data-rewritten]', TIMEOUT);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.deepEqual(await requests(), before, 'no Pay request for a post that changed author at the press');
  });
});
