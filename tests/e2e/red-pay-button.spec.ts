/**
 * Attacks: a hostile X page against our Pay button, on the offline X pages with the built extension.
 * The page's own scripts (page.evaluate / addInitScript run in the page's world) fire synthetic clicks and keys,
 * forge look-alike buttons, clone and move ours, rewrite the post's author under it and flood it. None of that may
 * reach the confirm step; a real click routed through a clickjacking layout reaches a confirm window that names the
 * true recipient and still needs its own, armed click before any money moves. After a real sign-in, the tokens
 * exist only in `storage.session`: not in `storage.local`/`sync`, the content script's world or any DOM.
 */
import type { BrowserContext, CDPSession, Locator, Page, Worker } from '@playwright/test';
import { expect, test } from './fixtures';
import { patchSettings } from './pages/extension';
import { PopupPage } from './pages/popup';
import { DEMO_PASSWORD, startTestWallet, type TestWallet } from './wallet-server';
import { routeX, X } from './x-pages';

declare const chrome: {
  storage: Record<
    'session' | 'local' | 'sync',
    { get(keys?: string[] | null): Promise<Record<string, unknown>> }
  >;
};

interface Pending {
  recipientHandle: string;
  tweetId: string | null;
}

/** The pending Pay requests the background holds (what the confirm window would show). */
async function pending(sw: Worker): Promise<Pending[]> {
  return sw.evaluate(async () => {
    const { requests } = await chrome.storage.session.get(['requests']);
    return Object.values((requests ?? {}) as Record<string, Pending>).map((r) => ({
      recipientHandle: r.recipientHandle,
      tweetId: r.tweetId,
    }));
  });
}

const confirmPages = (context: BrowserContext) =>
  context.pages().filter((p) => p.url().includes('/confirm.html'));

/** Lets the content script and the background react (an attack that worked would have by then). */
const settle = (page: Page) => page.waitForTimeout(700);

interface PostInfo {
  handle: string;
  tweetId: string;
}

/**
 * Opens the home timeline and tags the first `n` posts that carry our Pay button as `article[data-red=i]`.
 * Returns what each of them pays (the author in its button's label, its permalink id).
 */
async function openTimeline(context: BrowserContext, n = 3): Promise<{ page: Page; posts: PostInfo[] }> {
  await routeX(context);
  const page = await context.newPage();
  await page.goto(`${X}/home`);
  await expect.poll(() => page.locator('[data-tweetez-payez="tweet"]').count()).toBeGreaterThanOrEqual(n);
  const posts = await page.evaluate((n) => {
    const out: { handle: string; tweetId: string }[] = [];
    for (const article of document.querySelectorAll('article[data-testid="tweet"]')) {
      const host = [...article.querySelectorAll('[data-tweetez-payez="tweet"]')].find(
        (h) => h.closest('article') === article,
      );
      const label = host?.shadowRoot?.querySelector('button')?.getAttribute('aria-label') ?? '';
      const handle = /@(\w+)$/.exec(label)?.[1];
      const link = [...article.querySelectorAll<HTMLAnchorElement>('a[href*="/status/"]')].find((a) =>
        new RegExp(`^/${handle}/status/\\d+$`, 'i').test(a.getAttribute('href') ?? ''),
      );
      if (!handle || !link || out.some((p) => p.handle.toLowerCase() === handle.toLowerCase())) continue;
      article.setAttribute('data-red', String(out.length));
      out.push({ handle, tweetId: link.getAttribute('href')!.split('/').pop()! });
      if (out.length === n) break;
    }
    return out;
  }, n);
  expect(posts).toHaveLength(n);
  return { page, posts };
}

async function contentScriptWorld(page: Page, extensionId: string): Promise<{ cdp: CDPSession; id: number }> {
  const cdp = await page.context().newCDPSession(page);
  const worlds: { id: number; origin: string }[] = [];
  cdp.on('Runtime.executionContextCreated', (e) => worlds.push(e.context));
  await cdp.send('Runtime.enable');
  const origin = `chrome-extension://${extensionId}`;
  await expect.poll(() => worlds.some((w) => w.origin === origin)).toBe(true);
  return { cdp, id: worlds.find((w) => w.origin === origin)!.id };
}

const payHost = (page: Page, i: number): Locator =>
  page.locator(`article[data-red="${i}"] [data-tweetez-payez="tweet"]`).first();

/** A real (trusted) click at the centre of `target`, whatever covers it. */
async function trustedClickAt(page: Page, target: Locator): Promise<void> {
  const box = await target.boundingBox();
  if (!box) throw new Error('target not on screen');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

test.describe('red team: hostile page against the Pay button', () => {
  test('should ignore synthetic clicks, pointer and key events from the page; a real click still works', async ({
    context,
    sw,
  }) => {
    const { page, posts } = await openTimeline(context, 1);
    await payHost(page, 0).scrollIntoViewIfNeeded();
    await page.evaluate(async () => {
      const host = document.querySelector(
        'article[data-red="0"] [data-tweetez-payez="tweet"]',
      ) as HTMLElement;
      const button = host.shadowRoot!.querySelector('button')!;
      host.click();
      button.click();
      HTMLElement.prototype.click.call(button);
      for (const target of [host, button]) {
        for (const type of [
          'pointerdown',
          'mousedown',
          'pointerup',
          'mouseup',
          'click',
          'auxclick',
          'dblclick',
        ]) {
          const Ctor = type.startsWith('pointer') ? PointerEvent : MouseEvent;
          target.dispatchEvent(
            new Ctor(type, { bubbles: true, composed: true, cancelable: true, button: 0 }),
          );
        }
        target.dispatchEvent(
          new MouseEvent('click', { bubbles: true, composed: true, detail: 1, view: window }),
        );
      }
      button.focus();
      for (const key of ['Enter', ' ']) {
        for (const type of ['keydown', 'keypress', 'keyup']) {
          button.dispatchEvent(
            new KeyboardEvent(type, { key, code: key === ' ' ? 'Space' : key, bubbles: true }),
          );
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    });
    await settle(page);
    expect(await pending(sw)).toEqual([]);
    expect(confirmPages(context)).toHaveLength(0);

    // Positive control: a real user's click on the same button asks for the confirm step.
    const opened = context.waitForEvent('page');
    await payHost(page, 0).locator('button').click();
    await opened;
    await expect
      .poll(() => pending(sw))
      .toEqual([{ recipientHandle: posts[0]!.handle, tweetId: posts[0]!.tweetId }]);
  });

  test('should ignore synthetic clicks and keys on the profile Pay button', async ({ context, sw }) => {
    await routeX(context);
    const page = await context.newPage();
    await page.goto(`${X}/alice`);
    const host = page.locator('[data-tweetez-payez="profile"]');
    await expect(host.locator('button')).toHaveAttribute('aria-label', 'Pay @alice');
    await page.evaluate(() => {
      const h = document.querySelector('[data-tweetez-payez="profile"]') as HTMLElement;
      const b = h.shadowRoot!.querySelector('button')!;
      h.click();
      b.click();
      b.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      b.focus();
      b.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      b.dispatchEvent(new KeyboardEvent('keyup', { key: ' ', bubbles: true }));
    });
    await settle(page);
    expect(await pending(sw)).toEqual([]);
    expect(confirmPages(context)).toHaveLength(0);
  });

  test('should do nothing for a fake Pay button or a clone of ours, even on a real click', async ({
    context,
    sw,
  }) => {
    const { page, posts } = await openTimeline(context, 2);
    await payHost(page, 0).scrollIntoViewIfNeeded();
    // A look-alike host (same attribute, same label, open shadow root), floating where the user will click.
    await page.evaluate((victim) => {
      const fake = document.createElement('div');
      fake.setAttribute('data-tweetez-payez', 'tweet');
      fake.id = 'red-fake';
      fake.style.cssText = 'position:fixed;left:10px;top:10px;z-index:99999';
      fake.attachShadow({ mode: 'open' }).innerHTML = `<button aria-label="Pay @${victim}">€ Pay</button>`;
      document.body.append(fake);
      const ours = document.querySelector('article[data-red="0"] [data-tweetez-payez="tweet"]')!;
      const clone = ours.cloneNode(true) as HTMLElement;
      clone.id = 'red-clone';
      clone.style.cssText = 'position:fixed;left:10px;top:80px;z-index:99999;width:40px;height:40px';
      document.body.append(clone);
    }, posts[1]!.handle);
    await trustedClickAt(page, page.locator('#red-fake button'));
    await trustedClickAt(page, page.locator('#red-clone'));
    await settle(page);
    expect(await pending(sw)).toEqual([]);
    expect(confirmPages(context)).toHaveLength(0);
  });

  test("should never pay one post's author from a button moved into another post", async ({
    context,
    sw,
  }) => {
    const { page, posts } = await openTimeline(context, 2);
    const [a, b] = posts as [PostInfo, PostInfo];
    await page.locator('article[data-red="1"]').scrollIntoViewIfNeeded();
    const at = await page.evaluate(() => {
      const host = document.querySelector('article[data-red="0"] [data-tweetez-payez="tweet"]')!;
      const barB = document.querySelector('article[data-red="1"] [role="group"]')!;
      barB.prepend(host); // X's own re-render could not do this: only a hostile page would
      const r = host.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    });
    // The user clicks the moved button at once (whether or not the content script already took it back).
    await page.mouse.click(at.x, at.y);
    await settle(page);
    const requests = await pending(sw);
    expect(requests).not.toContainEqual({ recipientHandle: a.handle, tweetId: b.tweetId });
    expect(requests).not.toContainEqual({ recipientHandle: a.handle, tweetId: a.tweetId });
    for (const r of requests) expect(r).toEqual({ recipientHandle: b.handle, tweetId: b.tweetId });
  });

  test('should never request the old author, nor anything the button does not show, after the page rewrites the author', async ({
    context,
    sw,
  }) => {
    const { page, posts } = await openTimeline(context, 1);
    const victim = posts[0]!;
    await payHost(page, 0).scrollIntoViewIfNeeded();
    await page.evaluate((from) => {
      const article = document.querySelector('article[data-red="0"]')!;
      // Remember where the button is on screen (the user's eyes and hand are there).
      const r = article.querySelector('[data-tweetez-payez="tweet"]')!.getBoundingClientRect();
      const target = document.createElement('div');
      target.id = 'red-target';
      target.style.cssText = `position:fixed;left:${r.x}px;top:${r.y}px;width:${r.width}px;height:${r.height}px;pointer-events:none`;
      document.body.append(target);
      for (const a of article.querySelectorAll<HTMLAnchorElement>('a[href]')) {
        a.setAttribute(
          'href',
          a.getAttribute('href')!.replace(new RegExp(`^/${from}(?=/|$)`, 'i'), '/mallory'),
        );
      }
      const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        n.textContent = n.textContent!.replace(new RegExp(`@${from}\\b`, 'gi'), '@mallory');
      }
    }, victim.handle);
    // The user clicks where the button was, at once (before or after the content script noticed the change).
    await trustedClickAt(page, page.locator('#red-target'));
    await settle(page);
    const requests = await pending(sw);
    expect(requests).not.toContainEqual(expect.objectContaining({ recipientHandle: victim.handle }));
    // Whatever was requested is what a button in that post says now (the confirm window shows it again).
    const labels = await page
      .locator('article[data-red="0"] [data-tweetez-payez="tweet"] button')
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
    for (const r of requests) expect(labels).toContain(`Pay @${r.recipientHandle}`);
  });

  test('should throttle a flood of real clicks to one confirm window and one pending request', async ({
    context,
    sw,
  }) => {
    const { page } = await openTimeline(context, 3);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++) {
        const host = payHost(page, i);
        await host.scrollIntoViewIfNeeded();
        const button = host.locator('button');
        for (let k = 0; k < 3; k++) await trustedClickAt(page, button);
      }
    }
    await settle(page);
    await expect.poll(() => confirmPages(context).length).toBe(1);
    expect(await pending(sw)).toHaveLength(1);
  });
});

test.describe('red team: with a signed-in wallet (clickjacking, where the tokens live)', () => {
  let wallet: TestWallet;
  test.beforeAll(async () => {
    wallet = await startTestWallet();
  });
  test.afterAll(() => wallet.close());

  test('should open a confirm window naming the true recipient that needs its own armed click; no secret reaches the tab', async ({
    context,
    sw,
    extensionId,
  }) => {
    const popup = await PopupPage.open(context, extensionId);
    await patchSettings(popup.page, { walletUrl: wallet.url });
    await popup.page.reload();
    await popup.signIn('me@demo.test', DEMO_PASSWORD);
    await expect(popup.balance()).toBeVisible();
    await popup.page.close();

    const { page, posts } = await openTimeline(context, 1);
    const victim = posts[0]!;
    // Record every message the background sends to the content script in this tab (its own world).
    const world = await contentScriptWorld(page, extensionId);
    await world.cdp.send('Runtime.evaluate', {
      contextId: world.id,
      expression: `globalThis.__redSeen = []; chrome.runtime.onMessage.addListener((m) => { globalThis.__redSeen.push(JSON.stringify(m)); });`,
    });
    // Our button made invisible and laid over a decoy; a transparent layer over everything else.
    await payHost(page, 0).scrollIntoViewIfNeeded();
    const box = (await payHost(page, 0).boundingBox())!;
    await page.evaluate((box) => {
      const decoy = document.createElement('div');
      decoy.textContent = '🎁 Claim your prize';
      // The decoy is what the user sees; clicks go through it (pointer-events: none) to our invisible button.
      decoy.style.cssText = `position:fixed;left:${box.x - 20}px;top:${box.y}px;z-index:9;background:gold;pointer-events:none`;
      document.body.append(decoy);
      const host = document.querySelector(
        'article[data-red="0"] [data-tweetez-payez="tweet"]',
      ) as HTMLElement;
      host.style.opacity = '0';
    }, box);
    const opened = context.waitForEvent('page', (p) => p.url().includes('/confirm.html'));
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2); // the user meant the decoy
    const confirm = await opened;
    await expect(confirm.getByTestId('recipient-handle')).toHaveText(`@${victim.handle}`);
    const button = confirm.getByTestId('confirm-button');
    await expect(button).toBeVisible();
    // Nothing moved yet; and the page (still focused in its own window) cannot click in ours.
    const token = (await wallet.login('me@demo.test', DEMO_PASSWORD)).accessToken;
    const list = async () =>
      (
        (await (
          await fetch(`${wallet.url}/v1/payments`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as {
          items: unknown[];
        }
      ).items.length;
    expect(await list()).toBe(0);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(500);
    expect(await list()).toBe(0);
    // Only the user's own click in the trusted window, once armed, creates the payment.
    await confirm.bringToFront();
    await expect(button).toBeEnabled({ timeout: 5_000 });
    await button.click(); // tweet mode: the background then asks this tab's content script to fill the composer
    await expect.poll(list).toBe(1);
    const seen = async () =>
      (
        await world.cdp.send('Runtime.evaluate', {
          contextId: world.id,
          expression: 'JSON.stringify(globalThis.__redSeen)',
          returnByValue: true,
        })
      ).result.value as string;
    await expect.poll(seen).toContain('fillComposer');
    const tokens = (await sw.evaluate(async () => (await chrome.storage.session.get(['tokens'])).tokens)) as {
      accessToken: string;
      refreshToken: string;
    };
    for (const secret of [tokens.accessToken, tokens.refreshToken, DEMO_PASSWORD]) {
      expect(await seen()).not.toContain(secret);
      expect(await page.content()).not.toContain(secret);
    }
  });
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
});
