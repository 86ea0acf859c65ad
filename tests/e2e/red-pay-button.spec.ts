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
import { postId } from '../fixtures/x/data';
import { audit, payButtons } from './pages/x';
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

/** After the attack has had time to work: no Pay request held, no confirm window open. */
async function expectNothingAsked(page: Page, sw: Worker, context: BrowserContext) {
  await settle(page);
  expect(await pending(sw)).toEqual([]);
  expect(confirmPages(context)).toHaveLength(0);
}

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
  const posts: PostInfo[] = [];
  for (const row of await audit(page)) {
    const handle = row.expected;
    if (!handle || row.labels[0] !== `Pay @${handle}` || row.hosts !== 1) continue;
    if (posts.some((p) => p.handle.toLowerCase() === handle.toLowerCase())) continue;
    posts.push({ handle, tweetId: row.postId });
    if (posts.length === n) break;
  }
  expect(posts).toHaveLength(n);
  await page.evaluate(
    (ids) => {
      ids.forEach((id, i) => {
        const article = [...document.querySelectorAll('article[data-testid="tweet"]')].find(
          (a) => !a.parentElement?.closest('article') && a.querySelector(`a[href$="/status/${id}"]`),
        );
        article?.setAttribute('data-red', String(i));
      });
    },
    posts.map((p) => p.tweetId),
  );
  return { page, posts };
}

/** The label and tooltip of each Pay button in post `i` (read from outside the page). */
async function labelsAndTitles(
  page: Page,
  i: number,
): Promise<({ label: string | null; title: string | null } | null)[]> {
  const indexes = await page.evaluate((i) => {
    const all = [...document.querySelectorAll('[data-tweetez-payez]')];
    const article = document.querySelector(`article[data-red="${i}"]`);
    return all.flatMap((h, k) => (article?.contains(h) ? [k] : []));
  }, i);
  const buttons = await payButtons(page);
  return indexes.map((k) => {
    const b = buttons[k];
    return b ? { label: b.label, title: b.title } : null;
  });
}

/** The labels of the Pay buttons in post `i` (read from outside the page: their shadow roots are closed). */
async function labelsIn(page: Page, i: number): Promise<(string | null)[]> {
  const indexes = await page.evaluate((i) => {
    const all = [...document.querySelectorAll('[data-tweetez-payez]')];
    const article = document.querySelector(`article[data-red="${i}"]`);
    return all.flatMap((h, k) => (article?.contains(h) ? [k] : []));
  }, i);
  const buttons = await payButtons(page);
  return indexes.map((k) => buttons[k]?.label ?? null);
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
      // The shadow root is closed: the page gets no button (were it open, every line below would aim at it).
      const button = host.shadowRoot?.querySelector('button') ?? host;
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
    await expectNothingAsked(page, sw, context);

    // Positive control: a real user's click on the same button asks for the confirm step.
    const opened = context.waitForEvent('page');
    await payHost(page, 0).click();
    await opened;
    await expect
      .poll(() => pending(sw))
      .toEqual([{ recipientHandle: posts[0]!.handle, tweetId: posts[0]!.tweetId }]);
  });

  test('should ignore synthetic clicks and keys on the profile Pay button', async ({ context, sw }) => {
    await routeX(context);
    const page = await context.newPage();
    await page.goto(`${X}/alice`);
    await expect
      .poll(async () => (await payButtons(page)).filter((b) => b?.variant === 'profile').map((b) => b?.label))
      .toEqual(['Pay @alice']);
    await page.evaluate(() => {
      const h = document.querySelector('[data-tweetez-payez="profile"]') as HTMLElement;
      const b = h.shadowRoot?.querySelector('button') ?? h;
      h.click();
      b.click();
      b.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      b.focus();
      b.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      b.dispatchEvent(new KeyboardEvent('keyup', { key: ' ', bubbles: true }));
    });
    await expectNothingAsked(page, sw, context);
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
    await expectNothingAsked(page, sw, context);
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
    const labels = await labelsIn(page, 0);
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
        const button = host;
        for (let k = 0; k < 3; k++) await trustedClickAt(page, button);
      }
    }
    await settle(page);
    await expect.poll(() => confirmPages(context).length).toBe(1);
    expect(await pending(sw)).toHaveLength(1);
  });
});

/**
 * Rewrites the author of post `i` in the page's own world, as a hostile page would: `text` the "@handle" (and
 * display name) the post shows, `links` the profile links, avatar and permalink. Text is changed in place
 * (`Text.data`), which no childList observer sees.
 */
function rewriteAuthor(page: Page, i: number, to: { text?: string; links?: string }) {
  return page.evaluate(
    ([i, to]) => {
      const article = document.querySelector(`article[data-red="${i}"]`)!;
      const block = article.querySelector('[data-testid="User-Name"]')!;
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      const texts: Text[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode())
        if (n.nodeValue?.trim()) texts.push(n as Text);
      if (to.text) {
        texts[0]!.data = 'Alice Martin';
        for (const t of texts) if (t.data.trim().startsWith('@')) t.data = `@${to.text}`;
      }
      if (to.links) {
        const from = /^\/([A-Za-z0-9_]+)(?=\/|$)/;
        for (const a of article.querySelectorAll('a[href]')) {
          if (a.closest('div[role="link"]')) continue; // not a quoted post's
          const href = a.getAttribute('href')!;
          if (from.test(href) && !href.startsWith('/i/'))
            a.setAttribute('href', href.replace(from, `/${to.links}`));
        }
        const avatar = article.querySelector('[data-testid^="UserAvatar-Container-"]');
        avatar?.setAttribute('data-testid', `UserAvatar-Container-${to.links}`);
      }
    },
    [i, to] as const,
  );
}

/** Where post `i`'s Pay button is on screen (the user's eyes and hand are there). */
async function buttonSpot(page: Page, i: number): Promise<{ x: number; y: number }> {
  const box = await payHost(page, i).boundingBox();
  if (!box) throw new Error('no Pay button on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

const hostsIn = (page: Page, i: number) =>
  page.locator(`article[data-red="${i}"] [data-tweetez-payez]`).count();

test.describe('red team: who is paid is who the post shows, when the user presses', () => {
  test('should not pay the author in the links when the post shows another @handle', async ({
    context,
    sw,
  }) => {
    const { page, posts } = await openTimeline(context, 1);
    await payHost(page, 0).scrollIntoViewIfNeeded();
    const at = await buttonSpot(page, 0);
    await rewriteAuthor(page, 0, { text: 'alicepays' }); // what the user reads; the links still say the author
    await page.mouse.click(at.x, at.y);
    await settle(page);
    expect(await pending(sw)).toEqual([]);
    expect(await hostsIn(page, 0)).toBe(0); // the post disagrees with itself: no button
    expect(posts[0]!.handle).not.toBe('alicepays');
  });

  test('should not pay the author in the links, avatar and permalink when the post still shows another', async ({
    context,
    sw,
  }) => {
    const { page } = await openTimeline(context, 1);
    await payHost(page, 0).scrollIntoViewIfNeeded();
    const at = await buttonSpot(page, 0);
    await rewriteAuthor(page, 0, { links: 'mallory_pay' });
    await page.mouse.click(at.x, at.y);
    await settle(page);
    expect(await pending(sw)).toEqual([]);
    expect(await hostsIn(page, 0)).toBe(0);
  });

  test('should pay nobody when the whole author is rewritten at the press or between press and click', async ({
    context,
    sw,
  }) => {
    const { page, posts } = await openTimeline(context, 2);
    for (const [i, moment] of [
      [0, 'pointerdown'],
      [1, 'pointerup'],
    ] as const) {
      await payHost(page, i).scrollIntoViewIfNeeded();
      const at = await buttonSpot(page, i);
      await page.evaluate(
        ([i, moment]) => {
          const w = window as unknown as { __redRewrite?: Record<string, boolean> };
          w.__redRewrite = { ...w.__redRewrite, [i]: false };
          window.addEventListener(
            moment,
            () => {
              w.__redRewrite![i] = true;
              const article = document.querySelector(`article[data-red="${i}"]`)!;
              const from = /^\/([A-Za-z0-9_]+)(?=\/|$)/;
              for (const a of article.querySelectorAll('a[href]')) {
                const href = a.getAttribute('href')!;
                if (!a.closest('div[role="link"]') && from.test(href) && !href.startsWith('/i/'))
                  a.setAttribute('href', href.replace(from, '/mallory_pay'));
              }
              article
                .querySelector('[data-testid^="UserAvatar-Container-"]')
                ?.setAttribute('data-testid', 'UserAvatar-Container-mallory_pay');
              const block = article.querySelector('[data-testid="User-Name"]')!;
              const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
              for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const t = n as Text;
                if (t.data.trim().startsWith('@')) t.data = '@mallory_pay';
              }
            },
            { capture: true, once: true },
          );
        },
        [i, moment] as const,
      );
      await page.mouse.click(at.x, at.y);
      await expect
        .poll(() =>
          page.evaluate((i) => (window as unknown as { __redRewrite: boolean[] }).__redRewrite[i], i),
        )
        .toBe(true);
      await settle(page);
      expect(await pending(sw), moment).toEqual([]);
      // The post now shows @mallory_pay everywhere: a new button says so (the old one was replaced, not re-aimed).
      await expect.poll(() => labelsIn(page, i)).toEqual(['Pay @mallory_pay']);
    }
    expect(posts).toHaveLength(2);
    expect(confirmPages(context)).toHaveLength(0);
  });

  test("should keep the button's label, tooltip and name out of the page's reach", async ({
    context,
    sw,
  }) => {
    const { page, posts } = await openTimeline(context, 1);
    await payHost(page, 0).scrollIntoViewIfNeeded();
    const reached = await page.evaluate(() => {
      const host = document.querySelector(
        'article[data-red="0"] [data-tweetez-payez="tweet"]',
      ) as HTMLElement;
      const button = host.shadowRoot?.querySelector('button');
      button?.setAttribute('aria-label', 'Pay @mallory');
      if (button) button.title = 'Pay @mallory';
      let reattached = false;
      try {
        host.attachShadow({ mode: 'open' }).innerHTML = '<button aria-label="Pay @mallory">Pay</button>';
        reattached = true;
      } catch {
        // a host has one shadow root: ours
      }
      // What is left: the host's own attributes, which must not stand in for the button's.
      host.setAttribute('role', 'button');
      host.setAttribute('aria-label', 'Pay @mallory');
      host.title = 'Pay @mallory';
      return { button: !!button, reattached };
    });
    expect(reached).toEqual({ button: false, reattached: false });
    const [info] = await labelsAndTitles(page, 0);
    expect(info).toEqual({ label: `Pay @${posts[0]!.handle}`, title: `Pay @${posts[0]!.handle}` });
    // A host the page relabelled does not pay, even on a real click.
    await trustedClickAt(page, payHost(page, 0));
    await settle(page);
    expect(await pending(sw)).toEqual([]);
  });

  test('should remove look-alike hosts the page puts inside a post', async ({ context }) => {
    const { page, posts } = await openTimeline(context, 1);
    await page.evaluate(() => {
      const article = document.querySelector('article[data-red="0"]')!;
      const forge = (variant: string) => {
        const fake = document.createElement('div');
        fake.setAttribute('data-tweetez-payez', variant);
        fake.attachShadow({ mode: 'open' }).innerHTML = '<button aria-label="Pay @mallory">€</button>';
        return fake;
      };
      article.querySelector('[role="group"]')!.prepend(forge('tweet'));
      article.querySelector('[data-testid="User-Name"]')!.append(forge('profile'));
    });
    await expect.poll(() => labelsIn(page, 0)).toEqual([`Pay @${posts[0]!.handle}`]);
  });

  test('should not let the page turn the extension off, nor learn its id, with WXT\'s "script started" message', async ({
    context,
    extensionId,
  }) => {
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __redMessages: string[] }).__redMessages = seen;
      window.addEventListener('message', (e) => seen.push(JSON.stringify(e.data)), true);
    });
    const { page, posts } = await openTimeline(context, 2);
    const messages = await page.evaluate(
      () => (window as unknown as { __redMessages: string[] }).__redMessages,
    );
    for (const m of messages) expect(m).not.toContain(extensionId);
    // The page knows the id anyway (a store extension's id is public) and forges the message WXT listens for.
    await page.evaluate((id) => {
      const type = `${id}:x:wxt:content-script-started`;
      const detail = { contentScriptName: 'x', messageId: 'forged' };
      document.dispatchEvent(new CustomEvent(type, { detail }));
      window.postMessage({ type, ...detail }, '*');
    }, extensionId);
    await settle(page);
    await expect.poll(() => labelsIn(page, 0)).toEqual([`Pay @${posts[0]!.handle}`]);
    // Still at work: a post re-rendered afterwards gets its button back.
    expect(await page.evaluate((id) => window.__x!.rerender(id, 'article'), posts[1]!.tweetId)).toBe(true);
    await page.evaluate(
      (id) =>
        [...document.querySelectorAll('article[data-testid="tweet"]')]
          .find((a) => a.querySelector(`a[href$="/status/${id}"]`))
          ?.setAttribute('data-red', '1'),
      posts[1]!.tweetId,
    );
    await expect.poll(() => labelsIn(page, 1)).toEqual([`Pay @${posts[1]!.handle}`]);
  });

  test('should not pay when the page moves the focus onto the button while the user types', async ({
    context,
    sw,
  }) => {
    await routeX(context);
    const page = await context.newPage();
    await page.goto(`${X}/alice/status/${postId(0)}`);
    const host = page.locator('article[data-testid="tweet"] [data-tweetez-payez="tweet"]').first();
    await expect(host).toBeVisible();
    const composer = page.locator('[data-testid^="tweetTextarea_"][contenteditable="true"]').first();
    await composer.click();
    await page.evaluate(() => {
      const editor = document.querySelector('[data-testid^="tweetTextarea_"][contenteditable="true"]')!;
      editor.addEventListener('keydown', (e) => {
        if ((e as KeyboardEvent).key !== 'o') return;
        const host = document.querySelector('article [data-tweetez-payez="tweet"]') as HTMLElement;
        const button = host.shadowRoot?.querySelector('button');
        if (button) button.focus();
        else {
          host.tabIndex = -1;
          host.focus();
        }
      });
    });
    await page.keyboard.type('Hello');
    await page.keyboard.press('Enter'); // meant for the composer
    await page.keyboard.press(' ');
    await expectNothingAsked(page, sw, context);
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
