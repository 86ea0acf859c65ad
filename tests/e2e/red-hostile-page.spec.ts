/**
 * Attacks: a hostile x.com page, with the built extension in Chromium. A script in the page's own world
 * tries every door to the extension: runtime messaging with our id, our storage, fetching, framing or opening the
 * confirm window, forged `window.postMessage`. None may reach the confirm step. And the content script's isolated
 * world (which a compromised renderer could drive) cannot read the tokens in `storage.session`.
 */
import type { BrowserContext, CDPSession, Page, Worker } from '@playwright/test';
import { expect, test } from './fixtures';

/** The service worker's `chrome.storage.session`, as far as these tests use it (code run by `sw.evaluate`). */
declare const chrome: {
  storage: {
    session: {
      get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
    };
  };
};

const HOSTILE_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>X</title></head>
<body><main><article data-testid="tweet"><a href="/mallory">@mallory</a>
<div role="group"><button data-tweetez-payez="tweet" aria-label="Pay @mallory">Pay</button></div>
</article></main></body></html>`;

async function hostilePage(context: BrowserContext): Promise<Page> {
  await context.route(/^https:\/\/(?:mobile\.)?(?:x|twitter)\.com\//, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: HOSTILE_PAGE }),
  );
  const page = await context.newPage();
  await page.goto('https://x.com/mallory/status/1790000000000000001');
  return page;
}

/** What the background holds for the confirm step: pending requests and the confirm window. */
async function confirmState(sw: Worker) {
  return sw.evaluate(async () => {
    const s = await chrome.storage.session.get(['requests', 'confirmWindow']);
    return {
      requests: Object.keys((s.requests as object | undefined) ?? {}),
      window: s.confirmWindow ?? null,
    };
  });
}

const confirmPages = (context: BrowserContext) =>
  context.pages().filter((p) => p.url().includes('/confirm.html'));

/** The execution context of our content script (its isolated world) in `page`, through CDP. */
async function contentScriptWorld(page: Page, extensionId: string): Promise<{ cdp: CDPSession; id: number }> {
  const cdp = await page.context().newCDPSession(page);
  const worlds: { id: number; origin: string }[] = [];
  cdp.on('Runtime.executionContextCreated', (e) => worlds.push(e.context));
  await cdp.send('Runtime.enable');
  await expect.poll(() => worlds.some((w) => w.origin === `chrome-extension://${extensionId}`)).toBe(true);
  return { cdp, id: worlds.find((w) => w.origin === `chrome-extension://${extensionId}`)!.id };
}

async function evalIn(cdp: CDPSession, contextId: number, expression: string): Promise<unknown> {
  const r = await cdp.send('Runtime.evaluate', {
    expression,
    contextId,
    awaitPromise: true,
    returnByValue: true,
  });
  return r.result.value;
}

test.describe('red team: hostile X page against the extension', () => {
  test('should give the page world no way to message, read or open the extension', async ({
    context,
    sw,
    extensionId,
  }) => {
    const page = await hostilePage(context);
    const attempts = await page.evaluate(async (id) => {
      const out: Record<string, string> = {};
      const w = window as unknown as { chrome?: { runtime?: { sendMessage?: unknown }; storage?: unknown } };
      out.runtime = typeof w.chrome?.runtime?.sendMessage;
      out.storage = typeof w.chrome?.storage;
      // Even if a runtime object were exposed, messaging our id must fail.
      try {
        const send = w.chrome?.runtime?.sendMessage as
          ((id: string, msg: unknown) => Promise<unknown>) | undefined;
        out.send = send
          ? JSON.stringify(
              await send(id, {
                type: 'requestPayment',
                data: { recipientHandle: 'mallory', source: 'profile' },
              }),
            )
          : 'no api';
      } catch (e) {
        out.send = `threw: ${(e as Error).message}`;
      }
      try {
        const r = await fetch(`chrome-extension://${id}/confirm.html`);
        out.fetch = `status ${r.status}`;
      } catch {
        out.fetch = 'blocked';
      }
      try {
        const r = await fetch(`chrome-extension://${id}/manifest.json`);
        out.manifest = `status ${r.status}`;
      } catch {
        out.manifest = 'blocked';
      }
      const frame = document.createElement('iframe');
      frame.src = `chrome-extension://${id}/confirm.html?request=forged`;
      document.body.append(frame);
      window.open(`chrome-extension://${id}/confirm.html?request=forged`, '_blank');
      // Forged window messages, in the shapes an extension bridge might expect.
      for (const data of [
        { type: 'requestPayment', data: { recipientHandle: 'mallory', source: 'profile' } },
        { source: 'tweetez-payez', type: 'requestPayment', recipientHandle: 'mallory' },
        { type: 'createPayment', data: { requestId: 'x', amountCents: 25_000, mode: 'private' } },
        { type: 'confirmPayment', data: { paymentId: 'x' } },
        'requestPayment',
      ]) {
        window.postMessage(data, '*');
      }
      await new Promise((r) => setTimeout(r, 800));
      return out;
    }, extensionId);
    expect(attempts.runtime).toBe('undefined');
    expect(attempts.storage).toBe('undefined');
    expect(attempts.send).toBe('no api');
    expect(attempts.fetch).toBe('blocked');
    expect(attempts.manifest).toBe('blocked');
    // The frame and the window did not load our page.
    for (const p of context.pages()) {
      for (const f of p.frames())
        expect(f.url().startsWith(`chrome-extension://${extensionId}/confirm`)).toBe(false);
    }
    expect(confirmPages(context)).toHaveLength(0);
    expect(await confirmState(sw)).toEqual({ requests: [], window: null });
  });

  test("should keep storage.session (the tokens) out of the content script's reach", async ({
    context,
    sw,
    extensionId,
  }) => {
    const token = 'tpa_red_team_canary_access_token';
    await sw.evaluate(async (token) => {
      await chrome.storage.session.set({
        tokens: {
          accessToken: token,
          refreshToken: 'tpr_red_team_canary',
          accessExpiresAt: 0,
          accountId: 'a1',
          walletUrl: 'http://127.0.0.1:8787',
        },
      });
    }, token);
    const page = await hostilePage(context);
    const { cdp, id } = await contentScriptWorld(page, extensionId);
    // Sanity: this really is the extension's world, where chrome.storage exists.
    expect(await evalIn(cdp, id, 'typeof chrome.storage.local.get')).toBe('function');
    const session = await evalIn(
      cdp,
      id,
      `chrome.storage.session.get(null).then((v) => 'read ' + JSON.stringify(v), (e) => 'denied ' + e.message)`,
    );
    expect(String(session)).toMatch(/^denied /);
    const local = String(
      await evalIn(cdp, id, `chrome.storage.local.get(null).then((v) => JSON.stringify(v))`),
    );
    const sync = String(
      await evalIn(cdp, id, `chrome.storage.sync.get(null).then((v) => JSON.stringify(v))`),
    );
    for (const area of [local, sync]) {
      expect(area).not.toContain(token);
      expect(area).not.toMatch(/tp[ar]_|accessToken|refreshToken/);
    }
    expect(await page.content()).not.toContain(token);
    // The background still has them: the refusal is the access level, not an empty area.
    expect(
      await sw.evaluate(async () => JSON.stringify(await chrome.storage.session.get('tokens'))),
    ).toContain(token);
  });
});
