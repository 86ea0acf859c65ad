/**
 * The product against X's formats, end to end: Chromium with the built extension, a real wallet server, the
 * local stand-in for X (tests/fake-x) and the offline X pages (tests/fixtures/x), whose Post buttons post to the
 * stand-in as X's web app posts (tests/e2e/x-pages.ts), as the signed-in X user.
 *
 * 1. Webhook (X Activity API): a new account links X through the popup ("Sign in with X"), presses Pay on a post
 *    by someone without a wallet, approves in the confirm window; the extension fills X's composer and the user
 *    presses X's Post button; the stand-in records the post and delivers it to the wallet in the X Activity API
 *    format; the payment becomes claimable and the bot's invitation reply is recorded on "X"; the recipient opens
 *    the claim page, opens a wallet and links X: credited at once; the payer sees it completed in the popup.
 * 2. Pull mode (`stream`): the same payment read from the filtered stream, which the stand-in cuts before the
 *    post is made and keeps down while it is posted: the post comes back only through recent search
 *    (`since_id`), and is paid once, with one bot reply.
 */
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import type { Payment } from '../../core/wallet-types';
import { startWalletServer, type WalletServer } from '../../server/start';
import { startFakeX, type FakeX } from '../fake-x/server';
import { ME, postId, USERS } from '../fixtures/x/data';
import { expect, test as base } from './fixtures';
import { patchSettings } from './pages/extension';
import { PopupPage } from './pages/popup';
import { confirmWindow, pressConfirm } from './pages/wallet';
import { openX, payButtonOf } from './pages/x';

const BOT = { id: '100000000000000009', username: 'SMoneyfr' };
/** The X user signed in on the offline X pages. */
const PAYER_X = { id: ME.id, username: ME.handle };
/** The author of the home timeline's first post: nobody has a wallet for them in this spec. */
const FRIEND_X = (() => {
  const u = USERS.find((x) => x.handle === 'alice')!;
  return { id: u.id, username: u.handle };
})();
const PAID_POST = postId(0);
/** An older payment post on X (someone else's), before the wallet first reads the stream (pull mode). */
const OLDER = '1800000000000000001';
const PASSWORD = 'correct horse battery';
const PAYER_EMAIL = 'new@real-x.test';

interface Stack {
  fx: FakeX;
  wallet: WalletServer;
  close(): Promise<void>;
}

/**
 * The stand-in for X and a wallet server (not in sandbox: X is linked only through "Sign in with X"). In pull
 * mode X already has an older payment post: the wallet's starting point for filling gaps.
 */
async function startStack(ingest: 'webhook' | 'stream'): Promise<Stack> {
  const fx = await startFakeX({ users: [BOT, PAYER_X, FRIEND_X], keepAliveMs: 1_000 });
  if (ingest === 'stream')
    fx.publish({
      tweetId: OLDER,
      text: `@SMoneyfr #envoyer 1€ @${FRIEND_X.username}`,
      userId: '910000000000000777',
      handle: 'someone_else',
      mentions: [
        { handle: BOT.username, userId: BOT.id },
        { handle: FRIEND_X.username, userId: FRIEND_X.id },
      ],
    });
  const bot = fx.issueTokens(BOT.id);
  const wallet = await startWalletServer({
    port: 0,
    dataDir: 'memory://',
    seed: {
      accounts: [
        {
          email: PAYER_EMAIL,
          password: PASSWORD,
          displayName: 'New payer',
          kind: 'person',
          balanceCents: 5_000,
        },
      ],
    },
    sandbox: false,
    xConsumerSecret: 'fake-x-consumer-secret',
    xBotUserId: BOT.id,
    x: {
      clientId: fx.clientId,
      clientSecret: fx.clientSecret,
      apiUrl: fx.url,
      authorizeUrl: `${fx.url}/i/oauth2/authorize`,
      timeoutMs: 5_000,
      botAccessToken: bot.accessToken,
      botRefreshToken: bot.refreshToken,
    },
    ...(ingest === 'stream'
      ? {
          stream: {
            bearerToken: fx.bearerToken,
            networkBaseMs: 20,
            httpBaseMs: 20,
            rateLimitBaseMs: 20,
            leaderRetryMs: 50,
          },
        }
      : {}),
    replies: { intervalMs: 100 },
    sweepIntervalMs: 0,
    log: false,
    scryptN: 1024,
    pgliteTemplateDir: path.join(os.tmpdir(), 'tweetez-payez-test'),
  });
  // X Activity API: the bot's mentions are delivered to the wallet's webhook (README, "Connecting to X").
  if (ingest === 'webhook')
    fx.subscribe({ url: `${wallet.url}/v1/webhooks/x`, format: 'xaa', forUserId: BOT.id });
  return {
    fx,
    wallet,
    close: async () => {
      await wallet.close();
      await fx.close();
    },
  };
}

/**
 * The stack of each test (`ingest` chooses how the wallet reads X). The browser depends on it, so it is closed first: the wallet's `close()` waits for in-flight
 * requests, and the extension keeps some open.
 */
const test = base.extend<{
  ingest: 'webhook' | 'stream';
  stack: Stack;
}>({
  ingest: ['webhook', { option: true }],
  stack: async ({ ingest }, use) => {
    const s = await startStack(ingest);
    await use(s);
    await s.close();
  },
  context: async ({ stack, context }, use) => {
    void stack;
    await use(context);
  },
});

// The whole stack per test (a wallet server, the stand-in, the browser): more than a page test on a loaded machine.
test.describe.configure({ timeout: 90_000 });

async function api(
  wallet: WalletServer,
  method: string,
  p: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${wallet.url}${p}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const login = async (wallet: WalletServer, email: string) =>
  (await api(wallet, 'POST', '/v1/auth/login', undefined, { email, password: PASSWORD })).body
    .accessToken as string;
const paymentsOf = async (wallet: WalletServer, token: string) =>
  (await api(wallet, 'GET', '/v1/payments?limit=100', token)).body.items as Payment[];

/** Signs the new account in from the popup and links its X account there ("Sign in with X" on the stand-in). */
async function signInAndLinkX(context: BrowserContext, extensionId: string, s: Stack): Promise<PopupPage> {
  const popup = await PopupPage.open(context, extensionId);
  await patchSettings(popup.page, { walletUrl: s.wallet.url, language: 'en' });
  await popup.page.reload();
  await popup.signIn(PAYER_EMAIL, PASSWORD);
  await expect(popup.available()).toBeVisible({ timeout: 20_000 });
  await expect(popup.page.getByTestId('x-link-status')).toContainText('Link your X account');
  s.fx.consentAs = PAYER_X.id;
  const opened = context.waitForEvent('page');
  await popup.page.getByTestId('x-link-button').click();
  const xTab = await opened;
  await expect(xTab.getByTestId('x-link-result')).toContainText(`Linked as @${PAYER_X.username}`);
  await expect(popup.page.getByTestId('x-link-status')).toHaveText(`Linked as @${PAYER_X.username}`);
  await xTab.close();
  return popup;
}

/**
 * On the offline X home timeline (its Post buttons posting to the stand-in as the payer's X account): presses
 * Pay on the friend's post, asks 12,50 € by tweet in the confirm window and approves. Resolves once the
 * extension filled X's composer with the payment's text, with the X page and the payment.
 */
async function payOnPost(context: BrowserContext, s: Stack, token: string) {
  const x = await openX(
    context,
    '/home',
    {},
    { apiUrl: s.fx.url, accessToken: s.fx.issueTokens(PAYER_X.id).accessToken },
  );
  await expect(payButtonOf(x, PAID_POST)).toBeVisible();
  const confirm = await confirmWindow(context, () => payButtonOf(x, PAID_POST).click());
  await expect(confirm.getByTestId('recipient-handle')).toHaveText(`@${FRIEND_X.username}`);
  await expect(confirm.getByTestId('recipient-status')).toHaveAttribute('data-registered', 'false');
  await confirm.getByTestId('amount-input').fill('12.50');
  await confirm.getByTestId('mode-tweet').check();
  await pressConfirm(confirm);
  await expect(confirm.getByTestId('fill-outcome')).toHaveAttribute('data-method', /paste|execCommand/);
  const [payment] = await paymentsOf(s.wallet, token);
  expect(payment).toMatchObject({ status: 'awaiting_tweet', amountCents: 1_250, mode: 'tweet' });
  const editor = x.locator('[data-testid^="tweetTextarea_"][contenteditable="true"]', {
    hasText: payment!.tweetText!,
  });
  await expect(editor).toHaveText(payment!.tweetText!);
  expect(await x.evaluate(() => window.__x!.posted)).toEqual([]); // the extension never posts
  return { x, payment: payment! };
}

/** The user presses X's own Post button; resolves with the id X gave the post (X's answer to the page). */
async function pressPost(x: Page): Promise<string> {
  const dialog = x.getByRole('dialog');
  await dialog.getByTestId('tweetButton').click();
  await expect.poll(() => x.evaluate(() => window.__x!.sent.length)).toBe(1);
  const [sent] = await x.evaluate(() => window.__x!.sent);
  expect(sent).toMatchObject({ status: 201 });
  return sent!.id!;
}

test('link X in the popup, press Pay on a post, post the tweet on X: invitation on X, claimed on link', async ({
  context,
  extensionId,
  stack: s,
}) => {
  const { fx, wallet } = s;
  const popup = await signInAndLinkX(context, extensionId, s);
  const payerToken = await login(wallet, PAYER_EMAIL);
  const { x, payment } = await payOnPost(context, s, payerToken);

  // The user posts from X's composer: X records the composer's exact text as a post by the linked account,
  // in reply to the post paid on, and delivers it to the wallet (X Activity API).
  const tweetId = await pressPost(x);
  expect(await x.evaluate(() => window.__x!.posted)).toEqual([payment.tweetText]);
  expect(fx.posts.find((p) => p.id === tweetId)).toEqual({
    id: tweetId,
    text: payment.tweetText,
    authorId: PAYER_X.id,
    inReplyTo: PAID_POST,
  });
  await expect
    .poll(() => fx.deliveries.filter((d) => d.postId === tweetId).map((d) => d.status))
    .toEqual([200]);
  await expect
    .poll(async () => (await api(wallet, 'GET', `/v1/payments/${payment.id}`, payerToken)).body)
    .toMatchObject({ status: 'claimable', tweetId, amountCents: 1_250 });

  // The bot's invitation is on X, in reply to the payment post, with the claim link.
  const [invitation] = await fx.waitForPosts(1, BOT.id);
  expect(invitation).toMatchObject({ authorId: BOT.id, inReplyTo: tweetId });
  expect(invitation!.text).toContain(`@${FRIEND_X.username}`);
  expect(invitation!.text).toContain('12,50');
  expect(invitation!.text).toContain(`${wallet.url}/claim`);

  // The recipient follows it, opens a wallet and links X: credited at once.
  const claimUrl = /(https?:\/\/\S+\/claim)/.exec(invitation!.text)![1]!;
  const tab = await context.newPage();
  await tab.goto(claimUrl);
  await expect(tab.getByTestId('claim-page')).toBeVisible();
  const created = await api(wallet, 'POST', '/v1/accounts', undefined, {
    email: 'friend@real-x.test',
    password: PASSWORD,
    displayName: 'Friend',
    kind: 'person',
  });
  expect(created.status).toBe(201);
  const friendToken = await login(wallet, 'friend@real-x.test');
  const link = await api(wallet, 'POST', '/v1/me/x-link', friendToken);
  fx.consentAs = FRIEND_X.id;
  await tab.goto(String(link.body.authorizeUrl));
  await expect(tab.getByTestId('x-link-result')).toContainText(`Linked as @${FRIEND_X.username}`);
  await expect(tab.getByTestId('x-link-result')).toContainText('1 waiting payment(s) credited');
  const friend = await api(wallet, 'GET', '/v1/me', friendToken);
  expect(friend.body).toMatchObject({ xHandle: FRIEND_X.username, balance: { availableCents: 1_250 } });

  // The payer sees it completed in the popup (it refreshes by itself).
  await expect(popup.history()).toContainText(`@${FRIEND_X.username}`);
  await expect(popup.history()).toContainText('Completed');
  await expect(popup.available()).toHaveText('€37.50');
  // One reply per payment event: the claim is not a new one.
  expect(fx.posts.filter((p) => p.authorId === BOT.id)).toHaveLength(1);
});

test.describe('pull mode', () => {
  test.use({ ingest: 'stream' });

  test('the same payment read from the filtered stream, posted while the stream is down: paid once', async ({
    context,
    extensionId,
    stack: s,
  }) => {
    const { fx, wallet } = s;
    // Connected: the starting point was taken (search without since_id), then the first fill found nothing new.
    await fx.streamConnections(1);
    expect(await fx.waitForSearches(2)).toEqual([null, OLDER]);
    const popup = await signInAndLinkX(context, extensionId, s);
    const payerToken = await login(wallet, PAYER_EMAIL);
    const { x, payment } = await payOnPost(context, s, payerToken);

    // The stream drops, and stays down while the user posts: the post is not delivered on any stream.
    const searchesBefore = fx.searches.length;
    fx.streamsDown = true;
    fx.dropStreams();
    await fx.streamRefusals(1); // the wallet is trying to reconnect
    const tweetId = await pressPost(x);
    expect(fx.posts.find((p) => p.id === tweetId)).toMatchObject({
      text: payment.tweetText,
      authorId: PAYER_X.id,
    });
    expect((await api(wallet, 'GET', `/v1/payments/${payment.id}`, payerToken)).body).toMatchObject({
      status: 'awaiting_tweet',
    });

    // X comes back: the wallet reconnects and fills the gap from recent search, since the newest post it knew.
    fx.streamsDown = false;
    await fx.streamConnections(2);
    const searches = await fx.waitForSearches(searchesBefore + 1);
    expect(searches.slice(searchesBefore)).toEqual([OLDER]);
    await expect
      .poll(async () => (await api(wallet, 'GET', `/v1/payments/${payment.id}`, payerToken)).body)
      .toMatchObject({ status: 'claimable', tweetId, amountCents: 1_250 });

    // Paid once: one payment, 12,50 € held once, one invitation reply.
    const [invitation] = await fx.waitForPosts(1, BOT.id);
    expect(invitation).toMatchObject({ inReplyTo: tweetId });
    const payments = await paymentsOf(wallet, payerToken);
    expect(payments.map((p) => [p.id, p.status, p.amountCents])).toEqual([[payment.id, 'claimable', 1_250]]);
    const me = await api(wallet, 'GET', '/v1/me', payerToken);
    expect(me.body).toMatchObject({ balance: { availableCents: 3_750, heldCents: 1_250 } });
    await expect(popup.available()).toHaveText('€37.50');
    expect(fx.posts.filter((p) => p.authorId === BOT.id)).toHaveLength(1);
  });
});
