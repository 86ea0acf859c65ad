/**
 * utils/x/paste.ts in a real Firefox content script: a paste built by the content script must reach the
 * page's own paste listener with its text (Firefox's Xray wrappers and its ClipboardEvent constructor make
 * the plain DataTransfer way arrive empty; see paste.ts). The content script is the real module, bundled
 * into a throw-away extension; the page listener reads `clipboardData` the way Draft.js does.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { Browser, Page } from 'puppeteer-core';
import { launchHeadlessFirefox, routePage } from './firefox';

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

/** The test content script: pastes on request from the page, reports dispatchPaste's result. */
const CONTENT = `import { dispatchPaste } from ${JSON.stringify(path.resolve('utils/x/paste.ts'))};
window.addEventListener('message', (e) => {
  if (e.source !== window || !e.data || e.data.type !== 'paste-please') return;
  const editor = document.getElementById('editor');
  editor.focus();
  document.documentElement.dataset.notHandled = String(dispatchPaste(editor, e.data.text));
});
document.documentElement.dataset.contentScript = 'ready';`;

describe('synthetic paste from a Firefox content script', () => {
  let browser: Browser;
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
        content_scripts: [{ matches: ['https://x.com/*'], js: ['content.js'], run_at: 'document_idle' }],
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
    browser = await launchHeadlessFirefox();
    await browser.installExtension(dir);
    page = await browser.newPage();
    await routePage(page, (url) =>
      url.pathname === '/compose/post'
        ? { contentType: 'text/html; charset=utf-8', body: PAGE }
        : { status: 404, contentType: 'text/plain', body: '' },
    );
    await page.goto('https://x.com/compose/post');
    await page.waitForFunction(() => document.documentElement.dataset.contentScript === 'ready', {
      timeout: 10_000,
    });
  });
  after(async () => {
    await browser?.close();
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
