/**
 * `npm run demo`: the whole story, recorded as screenshots for the README and the store listings.
 *
 * Headless Chromium with the built extension (`.output/chrome-mv3`), the real wallet server (PGlite in memory,
 * the demo seed, sandbox mode, an ephemeral port) and the offline X pages (tests/fixtures/x). For each look
 * (English + light, French + dark by default) it signs in from the popup, shows the timeline and a profile
 * with their Pay buttons, opens the confirm window from a post's Pay button (tweet mode, then private mode),
 * confirms the public tweet, shows X's composer filled with it, posts it, lets "X" deliver it to the wallet's
 * webhook (signed as X does), and shows the popup before and after. Before that, a first-time user opens a wallet
 * in the popup and adds money by card (a local Stripe stand-in, tests/fake-stripe), and the options show the Pay
 * buttons' off switch.
 *
 * Usage: npm run demo [-- --out docs/screenshots] [--looks en-light,fr-dark,en-dark,fr-light] [--no-build]
 * Writes <out>/<lang>-<theme>/<n>-<name>.png and prints each file with its size.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext, Page } from '@playwright/test';
import { launchChromium } from '../tests/e2e/browser-path';
import { startFakeStripe, type FakeStripe } from '../tests/fake-stripe';
import { startFakeX } from '../tests/fake-x/server';
import {
  BOT_X_USER_ID,
  DEMO_PASSWORD,
  startTestWallet,
  TEST_X_CONSUMER_SECRET,
  type TestWallet,
} from '../tests/e2e/wallet-server';
import { routeX, X } from '../tests/e2e/x-pages';
import { ME, postId, USERS } from '../tests/fixtures/x/data';
import type { Lang } from '../core/lang';

type Theme = 'light' | 'dark';
interface Look {
  lang: Lang;
  theme: Theme;
}

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'docs/screenshots' },
    looks: { type: 'string', default: 'en-light,fr-dark' },
    'no-build': { type: 'boolean', default: false },
  },
});

const OUT = path.resolve(values.out);
const X_VIEWPORT = { width: 1200, height: 760 };
const POPUP_VIEWPORT = { width: 380, height: 360 };
const CONFIRM_VIEWPORT = { width: 420, height: 640 };
const TIMEOUT = 15_000;
/** The wallet's public address as Stripe knows it (the browser is routed from there to the local wallet). */
const PUBLIC_URL = 'https://wallet.demo.test';

declare const chrome: { storage: { local: { set(items: Record<string, unknown>): Promise<void> } } };

const COPY: Record<Lang, { message: string; name: string; email: string }> = {
  en: { message: 'Thanks for the coffee ☕', name: 'Nora Jones', email: 'nora@example.com' },
  fr: { message: 'Merci pour le café ☕', name: 'Nora Dupont', email: 'nora@exemple.fr' },
};

function looks(): Look[] {
  return values.looks.split(',').map((l) => {
    const [lang, theme] = l.trim().split('-');
    if ((lang !== 'en' && lang !== 'fr') || (theme !== 'light' && theme !== 'dark')) {
      throw new Error(`--looks: "${l}" is not <en|fr>-<light|dark>`);
    }
    return { lang, theme };
  });
}

function build(): void {
  if (values['no-build']) return;
  console.log('building the Chrome extension (npx wxt build)…');
  const res = spawnSync('npx', ['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status !== 0) throw new Error('`npx wxt build` failed');
}

function launch(look: Look): ReturnType<typeof launchChromium> {
  return launchChromium({
    options: {
      colorScheme: look.theme,
      locale: look.lang === 'fr' ? 'fr-FR' : 'en-US',
      viewport: X_VIEWPORT,
      deviceScaleFactor: 1,
    },
    args: [`--lang=${look.lang === 'fr' ? 'fr' : 'en-US'}`, '--hide-scrollbars'],
  });
}

/**
 * Saves a screenshot of `page` and prints it. `fit`: first make the viewport as tall as the page (an extension
 * window shows all of itself; a full-page capture would leave sticky footers mid-page).
 */
async function shot(
  look: Look,
  name: string,
  page: Page,
  fit?: { width: number; height: number },
): Promise<void> {
  const dir = path.join(OUT, `${look.lang}-${look.theme}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  if (fit) {
    await page.setViewportSize(fit);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: fit.width, height: Math.min(Math.max(height, fit.height), 1400) });
  }
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  console.log(`  ${path.relative(process.cwd(), file)}  ${(fs.statSync(file).size / 1024).toFixed(0)} KB`);
}

/** The extension page `file` in a new tab of the given size. */
async function extensionPage(
  context: BrowserContext,
  extensionId: string,
  file: string,
  viewport: { width: number; height: number },
): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  await page.goto(`chrome-extension://${extensionId}/${file}`);
  return page;
}

/** The canonical tweet text of the signed-in demo payer's latest payment, from the wallet server. */
async function latestTweetText(wallet: TestWallet): Promise<string> {
  const { accessToken } = await wallet.login('me@demo.test', DEMO_PASSWORD);
  const res = await fetch(`${wallet.url}/v1/payments?limit=1`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const { items } = (await res.json()) as { items: { tweetText: string | null }[] };
  const text = items[0]?.tweetText;
  if (!text) throw new Error(`the wallet has no payment tweet (GET /v1/payments answered ${res.status})`);
  return text;
}

/** A first-time user: opens a wallet in the popup, sees the next steps, adds 20 € by card; then signs out. */
async function firstSteps(
  look: Look,
  context: BrowserContext,
  extensionId: string,
  stripe: FakeStripe,
  walletUrl: string,
): Promise<void> {
  // Checkout sends the user back to the wallet's public address: served by this wallet.
  await context.route(`${PUBLIC_URL}/**`, async (route) => {
    const res = await fetch(route.request().url().replace(PUBLIC_URL, walletUrl));
    await route.fulfill({
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: await res.text(),
    });
  });
  const popup = await extensionPage(context, extensionId, 'popup.html', POPUP_VIEWPORT);
  await popup.getByTestId('signup-link').click();
  await popup.getByTestId('signup-email').fill(COPY[look.lang].email);
  await popup.getByTestId('signup-name').fill(COPY[look.lang].name);
  await popup.getByTestId('signup-password').fill('a long passphrase');
  await popup.getByTestId('signup-terms').check();
  await shot(look, '8-popup-signup', popup, POPUP_VIEWPORT);
  await popup.getByTestId('signup-submit').click();
  await popup.getByTestId('next-steps').waitFor({ timeout: TIMEOUT });
  await popup.getByTestId('topup-amount').fill('20');
  await shot(look, '9-popup-welcome', popup, POPUP_VIEWPORT);
  const [checkout] = await Promise.all([
    context.waitForEvent('page', (p) => p.url().startsWith(stripe.url)),
    popup.getByTestId('topup-submit').click(),
  ]);
  await popup.locator('[data-testid="topup-list"] li[data-status="pending"]').waitFor({ timeout: TIMEOUT });
  await shot(look, '10-popup-topup-pending', popup, POPUP_VIEWPORT);
  await checkout.getByTestId('fake-stripe-pay').click();
  await checkout.waitForURL(`${PUBLIC_URL}/top-up/done`, { timeout: TIMEOUT });
  await checkout.close();
  await popup.reload();
  await popup.locator('[data-testid="topup-list"] li[data-status="credited"]').waitFor({ timeout: TIMEOUT });
  await shot(look, '11-popup-topup-credited', popup, POPUP_VIEWPORT);
  await popup.getByTestId('signout').click();
  await popup.close();

  const options = await extensionPage(context, extensionId, 'options.html', { width: 760, height: 900 });
  await options.getByTestId('show-pay-posts').waitFor({ timeout: TIMEOUT });
  await shot(look, '12-options', options, { width: 760, height: 900 });
  await options.close();
}

async function story(look: Look, wallet: TestWallet, stripe: FakeStripe): Promise<void> {
  const { context, close } = await launch(look);
  try {
    await routeX(context, { lang: look.lang, theme: look.theme });
    const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const extensionId = new URL(sw.url()).host;
    // The settings an options page would save: this wallet server, this language.
    await sw.evaluate((settings) => chrome.storage.local.set({ settings }), {
      walletUrl: wallet.url,
      language: look.lang,
    });

    await firstSteps(look, context, extensionId, stripe, wallet.url);

    // The popup: sign in, then the balance before paying.
    const popup = await extensionPage(context, extensionId, 'popup.html', POPUP_VIEWPORT);
    await popup.getByTestId('signin-email').fill('me@demo.test');
    await popup.getByTestId('signin-password').fill(DEMO_PASSWORD);
    await popup.getByTestId('signin-submit').click();
    await popup.getByTestId('balance').waitFor({ timeout: TIMEOUT });
    await shot(look, '6-popup-before', popup, POPUP_VIEWPORT);

    // The timeline and a profile, with their Pay buttons.
    const x = await context.newPage();
    await x.goto(`${X}/home`);
    await x.locator('[data-tweetez-payez="tweet"]').first().waitFor({ timeout: TIMEOUT });
    await x.waitForTimeout(300); // let the virtualized list settle
    await shot(look, '1-timeline', x);

    const alice = USERS[0];
    if (!alice) throw new Error('no fixture user');
    await x.goto(`${X}/${alice.handle}`);
    await x.locator('[data-tweetez-payez="profile"]').waitFor({ timeout: TIMEOUT });
    await x.waitForTimeout(300);
    await shot(look, '2-profile', x);

    // Pay from Alice's post (its page has X's reply box): the confirm window opens with her as the recipient.
    await x.goto(`${X}/${alice.handle}/status/${postId(0)}`);
    const payOnPost = x.locator('article[data-testid="tweet"] [data-tweetez-payez="tweet"]').first();
    const [confirm] = await Promise.all([
      context.waitForEvent('page', { predicate: (p) => p.url().includes('/confirm.html'), timeout: TIMEOUT }),
      payOnPost.click(),
    ]);
    await confirm.setViewportSize(CONFIRM_VIEWPORT);
    await confirm.getByTestId('recipient-handle').waitFor({ timeout: TIMEOUT });
    await confirm.getByTestId('preset-500').click();
    await confirm.getByTestId('message-input').fill(COPY[look.lang].message);
    await confirm.getByTestId('mode-tweet').click();
    await confirm.getByTestId('tweet-preview').waitFor();
    await shot(look, '3-confirm-tweet', confirm, CONFIRM_VIEWPORT);
    await confirm.getByTestId('mode-private').click();
    await shot(look, '4-confirm-private', confirm, CONFIRM_VIEWPORT);

    // Confirm the public tweet: X's composer gets filled in the X tab.
    await confirm.getByTestId('mode-tweet').click();
    await confirm.getByTestId('confirm-button').click({ timeout: TIMEOUT }); // arms after ~1 s of focus
    await confirm.getByTestId('fill-outcome').waitFor({ timeout: TIMEOUT });
    const tweetText = await latestTweetText(wallet);
    await x.bringToFront();
    const composer = x.locator('[data-testid^="tweetTextarea_"][contenteditable="true"]').first();
    await composer.waitFor({ timeout: TIMEOUT });
    await x.waitForFunction(
      (text) =>
        [...document.querySelectorAll('[data-testid^="tweetTextarea_"] [data-block="true"]')]
          .map((b) => b.textContent)
          .join('\n')
          .includes(text.split('\n')[0] ?? text),
      tweetText,
      { timeout: TIMEOUT },
    );
    await shot(look, '5-composer', x);

    // The user posts it; X delivers it to the wallet's webhook; the payment completes.
    await x.locator('[data-testid="tweetButton"], [data-testid="tweetButtonInline"]').first().click();
    const replyTo = new URL(x.url()).pathname.match(/\/status\/(\d+)/)?.[1];
    await wallet.deliverTweet({
      tweetId: String(1900000000000000000n + BigInt(Date.now() % 1_000_000)),
      text: tweetText,
      userId: ME.id,
      handle: ME.handle,
      mentions: [
        { handle: 'SMoneyfr', userId: '100000000000000009' },
        { handle: alice.handle, userId: alice.id },
      ],
      ...(replyTo
        ? { replyTo: { tweetId: replyTo, users: [{ handle: alice.handle, userId: alice.id }] } }
        : {}),
    });

    await popup.bringToFront();
    await popup.reload();
    await popup.getByTestId('history-list').waitFor({ timeout: TIMEOUT });
    await shot(look, '7-popup-after', popup, POPUP_VIEWPORT);
  } finally {
    await close();
  }
}

build();
// A local stand-in for X behind the wallet: "Link your X account" and the bot's replies work in the demo.
const fakeX = await startFakeX({
  consumerSecret: TEST_X_CONSUMER_SECRET,
  users: [{ id: BOT_X_USER_ID, username: 'SMoneyfr' }],
});
const bot = fakeX.issueTokens(BOT_X_USER_ID);
try {
  for (const look of looks()) {
    console.log(`${look.lang}, ${look.theme}:`);
    // And one for Stripe: "Add money" opens its Checkout page, paying there credits the wallet.
    const stripe = await startFakeStripe();
    const wallet = await startTestWallet({
      xBotUserId: BOT_X_USER_ID,
      x: {
        clientId: fakeX.clientId,
        clientSecret: fakeX.clientSecret,
        apiUrl: fakeX.url,
        authorizeUrl: `${fakeX.url}/i/oauth2/authorize`,
        botAccessToken: bot.accessToken,
        botRefreshToken: bot.refreshToken,
      },
      stripe: stripe.walletSettings(PUBLIC_URL),
    });
    stripe.webhookUrl = `${wallet.url}/v1/webhooks/stripe`;
    try {
      await story(look, wallet, stripe);
    } finally {
      await wallet.close();
      await stripe.close();
    }
  }
} finally {
  await fakeX.close();
}
