/**
 * Red team (issue 7): after a real sign-in (popup → background → wallet server), the tokens exist only in
 * `storage.session`: not in `storage.local` or `storage.sync`, not readable from the content script's world, not in
 * the X page's DOM, not in the popup's DOM.
 */
import type { CDPSession, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { patchSettings } from './pages/extension';
import { PopupPage } from './pages/popup';
import { DEMO_PASSWORD, startTestWallet, type TestWallet } from './wallet-server';

declare const chrome: {
  storage: Record<
    'session' | 'local' | 'sync',
    { get(keys?: string | null): Promise<Record<string, unknown>> }
  >;
};

let wallet: TestWallet;
test.beforeAll(async () => {
  wallet = await startTestWallet();
});
test.afterAll(() => wallet.close());

async function contentScriptWorld(page: Page, extensionId: string): Promise<{ cdp: CDPSession; id: number }> {
  const cdp = await page.context().newCDPSession(page);
  const worlds: { id: number; origin: string }[] = [];
  cdp.on('Runtime.executionContextCreated', (e) => worlds.push(e.context));
  await cdp.send('Runtime.enable');
  const origin = `chrome-extension://${extensionId}`;
  await expect.poll(() => worlds.some((w) => w.origin === origin)).toBe(true);
  return { cdp, id: worlds.find((w) => w.origin === origin)!.id };
}

test('should keep the wallet tokens of a real session in storage.session only', async ({
  context,
  sw,
  extensionId,
}) => {
  const popup = await PopupPage.open(context, extensionId);
  await patchSettings(popup.page, { walletUrl: wallet.url });
  await popup.page.reload();
  await popup.signIn('me@demo.test', DEMO_PASSWORD);
  await expect(popup.balance()).toBeVisible();

  const tokens = await sw.evaluate(async () => (await chrome.storage.session.get(null)).tokens);
  const { accessToken, refreshToken } = tokens as { accessToken: string; refreshToken: string };
  expect(accessToken).toMatch(/.{20,}/);
  expect(refreshToken).toMatch(/.{20,}/);
  const secrets = [accessToken, refreshToken, DEMO_PASSWORD];

  const persistent = await sw.evaluate(async () =>
    JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.sync.get(null)]),
  );
  for (const s of secrets) expect(persistent).not.toContain(s);
  expect(await popup.page.content()).not.toContain(accessToken);
  expect(await popup.page.content()).not.toContain(refreshToken);

  await context.route(/^https:\/\/x\.com\//, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><title>X</title><main></main>',
    }),
  );
  const x = await context.newPage();
  await x.goto('https://x.com/alice');
  const { cdp, id } = await contentScriptWorld(x, extensionId);
  const read = async (expression: string) =>
    String(
      (
        await cdp.send('Runtime.evaluate', {
          expression,
          contextId: id,
          awaitPromise: true,
          returnByValue: true,
        })
      ).result.value,
    );
  expect(await read(`chrome.storage.session.get(null).then(() => 'read', (e) => 'denied')`)).toBe('denied');
  const visible = await read(
    `Promise.all([chrome.storage.local.get(null), chrome.storage.sync.get(null)]).then((v) => JSON.stringify(v))`,
  );
  for (const s of secrets) {
    expect(visible).not.toContain(s);
    expect(await x.content()).not.toContain(s);
  }
});
