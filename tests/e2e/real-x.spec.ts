/**
 * The product against X's formats, end to end: Chromium with the built extension, a real wallet server, and the
 * local stand-in for X (tests/fake-x). A new account links X through the popup ("Sign in with X"), pays by
 * tweet a person who has no wallet; the stand-in delivers the post in the X Activity API format; the payment
 * becomes claimable and the bot's invitation reply is recorded on "X"; the recipient opens the claim page,
 * opens a wallet and links X: credited at once; the payer sees it completed in the popup.
 */
import os from 'node:os';
import path from 'node:path';
import { startWalletServer, type WalletServer } from '../../server/start';
import { startFakeX, type FakeX } from '../fake-x/server';
import { expect, test } from './fixtures';
import { patchSettings } from './pages/extension';
import { PopupPage } from './pages/popup';

const BOT = { id: '100000000000000009', username: 'SMoneyfr' };
const PAYER_X = { id: '910000000000000001', username: 'real_payer' };
const FRIEND_X = { id: '910000000000000002', username: 'no_wallet_yet' };
const PASSWORD = 'correct horse battery';

let fx: FakeX;
let wallet: WalletServer;

test.beforeAll(async () => {
  fx = await startFakeX({ users: [BOT, PAYER_X, FRIEND_X] });
  const bot = fx.issueTokens(BOT.id);
  wallet = await startWalletServer({
    port: 0,
    dataDir: 'memory://',
    seed: {
      accounts: [
        {
          email: 'new@real-x.test',
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
    replies: { intervalMs: 100 },
    sweepIntervalMs: 0,
    log: false,
    scryptN: 1024,
    pgliteTemplateDir: path.join(os.tmpdir(), 'tweetez-payez-test'),
  });
});
test.afterAll(async () => {
  await wallet?.close();
  await fx?.close();
});

const api = async (method: string, p: string, token?: string, body?: unknown, key?: string) => {
  const res = await fetch(`${wallet.url}${p}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(key ? { 'idempotency-key': key } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const login = async (email: string) =>
  (await api('POST', '/v1/auth/login', undefined, { email, password: PASSWORD })).body.accessToken as string;

test('link X in the popup, pay by tweet someone without a wallet, invitation on X, claimed on link', async ({
  context,
  extensionId,
}) => {
  // 1. The new account links its X account from the popup.
  const popup = await PopupPage.open(context, extensionId);
  await patchSettings(popup.page, { walletUrl: wallet.url, language: 'en' });
  await popup.page.reload();
  await popup.signIn('new@real-x.test', PASSWORD);
  await expect(popup.available()).toBeVisible();
  await expect(popup.page.getByTestId('x-link-status')).toContainText('Link your X account');
  fx.consentAs = PAYER_X.id;
  const opened = context.waitForEvent('page');
  await popup.page.getByTestId('x-link-button').click();
  const xTab = await opened;
  await expect(xTab.getByTestId('x-link-result')).toContainText(`Linked as @${PAYER_X.username}`);
  await expect(popup.page.getByTestId('x-link-status')).toHaveText(`Linked as @${PAYER_X.username}`);

  // 2. It pays by tweet a person who has no wallet; X delivers the posted tweet (X Activity API format).
  const payerToken = await login('new@real-x.test');
  const created = await api(
    'POST',
    '/v1/payments',
    payerToken,
    { recipientHandle: FRIEND_X.username, amountCents: 1_250, currency: 'EUR', mode: 'tweet' },
    'real-x-e2e-1',
  );
  expect(created.status).toBe(201);
  const tweetId = '1910000000000000001';
  const status = await fx.deliver(`${wallet.url}/v1/webhooks/x`, 'xaa', {
    tweetId,
    text: String(created.body.tweetText),
    userId: PAYER_X.id,
    handle: PAYER_X.username,
    mentions: [
      { handle: BOT.username, userId: BOT.id },
      { handle: FRIEND_X.username, userId: FRIEND_X.id },
    ],
  });
  expect(status).toBe(200);
  const payment = await api('GET', `/v1/payments/${String(created.body.id)}`, payerToken);
  expect(payment.body).toMatchObject({ status: 'claimable', tweetId });

  // 3. The bot's invitation is on X, in reply to the payment post, with the claim link.
  const [invitation] = await fx.waitForPosts(1);
  expect(invitation).toMatchObject({ authorId: BOT.id, inReplyTo: tweetId });
  expect(invitation!.text).toContain(`@${FRIEND_X.username}`);
  expect(invitation!.text).toContain(`${wallet.url}/claim`);

  // 4. The recipient follows it, opens a wallet and links X: credited at once.
  const claimUrl = /(https?:\/\/\S+\/claim)/.exec(invitation!.text)![1]!;
  await xTab.goto(claimUrl);
  await expect(xTab.getByTestId('claim-page')).toBeVisible();
  expect(
    (
      await api('POST', '/v1/accounts', undefined, {
        email: 'friend@real-x.test',
        password: PASSWORD,
        displayName: 'Friend',
        kind: 'person',
      })
    ).status,
  ).toBe(201);
  const friendToken = await login('friend@real-x.test');
  const link = await api('POST', '/v1/me/x-link', friendToken);
  fx.consentAs = FRIEND_X.id;
  await xTab.goto(String(link.body.authorizeUrl));
  await expect(xTab.getByTestId('x-link-result')).toContainText(`Linked as @${FRIEND_X.username}`);
  await expect(xTab.getByTestId('x-link-result')).toContainText('1 waiting payment(s) credited');
  const friend = await api('GET', '/v1/me', friendToken);
  expect(friend.body).toMatchObject({ xHandle: FRIEND_X.username, balance: { availableCents: 1_250 } });

  // 5. The payer sees it completed in the popup (it refreshes by itself).
  await expect(popup.history()).toContainText(`@${FRIEND_X.username}`);
  await expect(popup.history()).toContainText('Completed');
  await expect(popup.available()).toHaveText('€37.50');
  expect(fx.posts).toHaveLength(1); // one reply per payment event: the claim is not a new one
});
