/**
 * End-to-end flows against the REAL wallet server: a fresh test wallet per test (PGlite in memory, demo seed,
 * an ephemeral port, a clock the test can move), the extension pointed at it through its settings (the manifest
 * grants http://127.0.0.1/* on any port, so no permission prompt), and helpers to sign in, open the confirm window
 * the background opens, read the server's own view of the payments and the background's storage.
 */
import { expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { test as base } from '../fixtures';
import { DEMO_PASSWORD, startTestWallet, type TestWallet } from '../wallet-server';
import type { Payment } from '../../../core/wallet-types';
import { PopupPage } from './popup';

/** The few extension APIs the tests call inside the service worker. */
interface ChromeApi {
  storage: Record<
    'local' | 'session',
    { get(k: string): Promise<Record<string, unknown>>; set(i: object): Promise<void> }
  >;
  notifications: { getAll(): Promise<Record<string, boolean>> };
  action: { getBadgeText(d: object): Promise<string> };
}

export const ME_EMAIL = 'me@demo.test';
export { DEMO_PASSWORD };

export interface E2eWallet extends TestWallet {
  /** Moves the server's clock forward (tokens and payments expire). */
  advance(ms: number): void;
  /** The payments of `email` as the server lists them, newest first. */
  payments(email?: string): Promise<Payment[]>;
  balance(email?: string): Promise<{ availableCents: number; heldCents: number }>;
}

async function api<T>(wallet: TestWallet, email: string, path: string): Promise<T> {
  const { accessToken } = await wallet.login(email, DEMO_PASSWORD);
  const res = await fetch(`${wallet.url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return (await res.json()) as T;
}

/** Points the extension at `url` (what the options page saves). */
export async function setWalletUrl(sw: Worker, url: string): Promise<void> {
  await sw.evaluate(async (walletUrl) => {
    const c = (globalThis as unknown as { chrome: ChromeApi }).chrome;
    const settings = ((await c.storage.local.get('settings')).settings ?? {}) as Record<string, unknown>;
    await c.storage.local.set({ settings: { ...settings, walletUrl } });
  }, url);
}

interface Server {
  wallet: TestWallet;
  advance(ms: number): void;
}

/**
 * One wallet server per Playwright worker (starting one costs seconds: database, migrations, seed); every test
 * gets its own browser profile and signs in afresh, and asserts changes relative to what it found.
 */
export const test = base.extend<{ wallet: E2eWallet }, { walletServer: Server }>({
  walletServer: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies by destructuring
    async ({}, use) => {
      let offset = 0;
      const wallet = await startTestWallet({ clock: () => new Date(Date.now() + offset) });
      await use({ wallet, advance: (ms) => void (offset += ms) });
      await wallet.close();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  wallet: async ({ sw, walletServer }, use) => {
    const { wallet, advance } = walletServer;
    await setWalletUrl(sw, wallet.url);
    await use({
      ...wallet,
      advance,
      payments: async (email = ME_EMAIL) =>
        (await api<{ items: Payment[] }>(wallet, email, '/v1/payments?limit=100')).items,
      balance: async (email = ME_EMAIL) =>
        (await api<{ balance: { availableCents: number; heldCents: number } }>(wallet, email, '/v1/me'))
          .balance,
    });
  },
});
export { expect };

/** Opens the popup (as a tab) and signs in as the demo payer; resolves once the balance shows. */
export async function signIn(context: BrowserContext, extensionId: string): Promise<PopupPage> {
  const popup = await PopupPage.open(context, extensionId);
  await popup.signIn(ME_EMAIL, DEMO_PASSWORD);
  // Password hashing (scrypt) on a loaded 2-core machine can take seconds.
  await expect(popup.balance()).toBeVisible({ timeout: 20_000 });
  return popup;
}

/** The confirm window the background opens (windows.create), once it rendered its form. */
export async function confirmWindow(context: BrowserContext, open: () => Promise<unknown>): Promise<Page> {
  const [page] = await Promise.all([
    context.waitForEvent('page', (p) => p.url().includes('/confirm.html')),
    open(),
  ]);
  await page.bringToFront();
  await expect(page.getByTestId('recipient-handle')).toBeVisible();
  return page;
}

/** Confirm, once the button armed (the window had focus for ~1 s). */
export async function pressConfirm(page: Page): Promise<void> {
  const button = page.getByTestId('confirm-button');
  await expect(button).toHaveAttribute('data-armed', 'true');
  await expect(button).toBeEnabled();
  await button.click();
}

/** Notification ids the background created (`payment:<id>:<status>`). */
export async function notificationIds(sw: Worker): Promise<string[]> {
  return sw.evaluate(async () => {
    const c = (globalThis as unknown as { chrome: ChromeApi }).chrome;
    return Object.keys(await c.notifications.getAll());
  });
}

export async function badgeText(sw: Worker): Promise<string> {
  return sw.evaluate(() => (globalThis as unknown as { chrome: ChromeApi }).chrome.action.getBadgeText({}));
}

/** The background's stored session (TEST INTROSPECTION ONLY: reads the tokens to act on them server-side). */
export async function storedTokens(
  sw: Worker,
): Promise<{ accessToken: string; refreshToken: string } | null> {
  return sw.evaluate(async () => {
    const c = (globalThis as unknown as { chrome: ChromeApi }).chrome;
    return ((await c.storage.session.get('tokens')).tokens ?? null) as {
      accessToken: string;
      refreshToken: string;
    } | null;
  });
}

/**
 * A pass-through proxy in front of the wallet that can hold the next `POST /v1/payments`: the test kills the
 * service worker while the request is held, then lets it reach the server — the payment is made, the worker never
 * hears back. Records the Idempotency-Key of every payment request.
 */
export async function startHoldingProxy(target: string) {
  const http = await import('node:http');
  let hold: { arrived: () => void; release: Promise<void>; forwarded: () => void } | null = null;
  const keys: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const isPayment = req.method === 'POST' && req.url === '/v1/payments';
        const held = isPayment ? hold : null;
        if (isPayment) keys.push(String(req.headers['idempotency-key']));
        if (held) {
          hold = null;
          held.arrived();
          await held.release;
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(
            (e): e is [string, string] =>
              typeof e[1] === 'string' && !['host', 'connection', 'content-length'].includes(e[0]),
          ),
        );
        const answer = await fetch(`${target}${req.url}`, {
          method: req.method,
          headers,
          ...(body.length && { body }),
        });
        const text = await answer.text();
        held?.forwarded();
        if (res.destroyed) return;
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
        });
        res.end(text);
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    keys,
    /** Holds the next payment request; resolves `arrived` when it is held, `forwarded` once the server answered. */
    holdNext() {
      let arrived!: () => void;
      let release!: () => void;
      let forwarded!: () => void;
      const p = {
        arrived: new Promise<void>((r) => (arrived = r)),
        forwarded: new Promise<void>((r) => (forwarded = r)),
        release: () => release(),
      };
      hold = { arrived, release: new Promise<void>((r) => (release = r)), forwarded };
      return p;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
