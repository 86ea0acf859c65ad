/**
 * The extension in Firefox ESR (MV2 build), driven over WebDriver BiDi. One Firefox for the whole file:
 * launching it is the slow part.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { launchFirefox, type FirefoxWithExtension } from './firefox';

describe('Firefox extension', () => {
  let ff: FirefoxWithExtension;

  before(async () => {
    ff = await launchFirefox('.output/firefox-mv2');
  });
  after(async () => {
    await ff?.close();
  });

  it('should install as a temporary add-on with its gecko id', () => {
    assert.equal(ff.extensionId, 'tweetez-payez@tweetezpayez.example');
  });

  it('should render the popup', async () => {
    const popup = await ff.openExtensionPage('popup.html');
    await popup.waitForSelector('[data-testid="popup-root"]', { timeout: 10_000 });
    assert.equal(await popup.evaluate(() => document.title), 'Tweetez Payez');
    await popup.close();
  });

  it('should reach a wallet server on this machine on any port, without CORS headers', async () => {
    // Firefox match patterns cannot carry a port: `http://127.0.0.1:8787/*` would grant nothing at all.
    const server = http.createServer((_req, res) => res.end('{"status":"ok"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const page = await ff.openExtensionPage('options.html');
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const body = await page.evaluate(
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
      await page.close();
      server.close();
    }
  });
});
