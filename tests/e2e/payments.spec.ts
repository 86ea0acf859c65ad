/**
 * The payment flows end to end: the built extension in Chromium, the offline X pages, and the
 * REAL wallet server (tests/e2e/wallet-server.ts: demo seed, in-memory database, ephemeral port). Tweets reach
 * the server's webhook signed as X would sign them. One server per worker: each test signs in afresh and checks
 * changes relative to what it found.
 */
import { randomInt } from 'node:crypto';
import type { Page } from '@playwright/test';
import { formatAmount } from '../../core/money';
import { ME, USERS } from '../fixtures/x/data';
import { closedShadowText, openX, payButtonInfo, payButtonOf } from './pages/x';
import {
  badgeText,
  confirmWindow,
  expect,
  notificationIds,
  pressConfirm,
  setWalletUrl,
  signIn,
  startHoldingProxy,
  storedTokens,
  test,
} from './pages/wallet';

const alice = USERS.find((u) => u.handle === 'alice')!;
const BOT = { handle: 'SMoneyfr', userId: '100000000000000009' };
const euros = (cents: number) => formatAmount(cents, 'en');
/** A fresh X post id for a delivered tweet: 19 digits, random (never the clock), unique across test runs. */
const newTweetId = () => `19${randomInt(1e8, 1e9)}${randomInt(1e7, 1e8)}`;

function payOnProfile(x: Page, handle: string) {
  return async () => {
    const label = async () => (await payButtonInfo(x, '[data-tweetez-payez="profile"]'))?.label;
    await expect.poll(label).toBe(`Pay @${handle}`);
    await x.locator('[data-tweetez-payez="profile"]').click();
  };
}

test.describe('payments against the real wallet', () => {
  test('should sign in from the popup and show the balance', async ({ context, extensionId, wallet }) => {
    const popup = await signIn(context, extensionId);
    const balance = await wallet.balance();
    await expect(popup.available()).toHaveText(euros(balance.availableCents));
    await expect(popup.held()).toHaveText(`Held: ${euros(balance.heldCents)}`);
  });

  test('should pay from a profile by tweet: composer filled with the server text, completed by the webhook', async ({
    context,
    extensionId,
    sw,
    wallet,
  }) => {
    const before = await wallet.balance();
    const popup = await signIn(context, extensionId);
    const x = await openX(context, '/alice');
    const confirm = await confirmWindow(context, payOnProfile(x, 'alice'));
    await expect(confirm.getByTestId('recipient-handle')).toHaveText('@alice');
    await expect(confirm.getByTestId('recipient-status')).toHaveAttribute('data-registered', 'true');
    await confirm.getByTestId('preset-500').click();
    await confirm.getByTestId('mode-tweet').check();
    await expect(confirm.getByTestId('tweet-preview')).toHaveText('@SMoneyfr #envoyer 5EUR @alice');
    await pressConfirm(confirm);
    await expect(confirm.getByTestId('fill-outcome')).toHaveAttribute('data-method', /paste|execCommand/);

    const [payment] = await wallet.payments();
    expect(payment).toMatchObject({ status: 'awaiting_tweet', amountCents: 500, mode: 'tweet' });
    // The composer in the X tab holds exactly the server's canonical text; the extension posted nothing.
    const editor = x.locator('[data-testid^="tweetTextarea_"][contenteditable="true"]').first();
    await expect(editor).toHaveText(payment!.tweetText!);
    expect(await x.evaluate(() => window.__x!.posted)).toEqual([]);
    // Until the tweet arrives, the popup offers to post it again (X's composer with the same text) or to cancel.
    await popup.page.reload();
    const waiting = popup.pending().locator(`[data-payment-id="${payment!.id}"]`);
    const post = new URL((await waiting.getByTestId('post-tweet').getAttribute('href'))!);
    expect(post.searchParams.get('text')).toBe(payment!.tweetText);
    await expect(waiting.getByRole('button', { name: /^Cancel/ })).toBeEnabled();

    // The user posts; X delivers the tweet to the wallet's webhook.
    await wallet.deliverTweet({
      tweetId: newTweetId(),
      text: payment!.tweetText!,
      userId: ME.id,
      handle: ME.handle,
      mentions: [BOT, { handle: alice.handle, userId: alice.id }],
    });
    await expect.poll(async () => (await wallet.payments())[0]?.status).toBe('completed');
    await expect(confirm.getByTestId('payment-status')).toHaveAttribute('data-status', 'completed', {
      timeout: 15_000,
    });
    await popup.page.reload();
    await expect(popup.available()).toHaveText(euros(before.availableCents - 500));
    await expect.poll(() => notificationIds(sw)).toContain(`payment:${payment!.id}:completed`);
  });

  test('should pay privately from a post: executed at once, no tweet', async ({
    context,
    extensionId,
    wallet,
  }) => {
    const before = { me: await wallet.balance(), alice: await wallet.balance('alice@demo.test') };
    const popup = await signIn(context, extensionId);
    const x = await openX(context, '/alice');
    const post = x.locator('article[data-testid="tweet"]').first();
    const id = (await post.locator('a[href*="/status/"]').first().getAttribute('href'))!.split('/').pop()!;
    const confirm = await confirmWindow(context, () => payButtonOf(x, id).click());
    await confirm.getByTestId('amount-input').fill('12.34');
    await confirm.getByTestId('mode-private').check();
    await confirm.getByTestId('message-input').fill('pour le café');
    await pressConfirm(confirm);
    await expect(confirm.getByTestId('private-outcome')).toHaveText(`Paid ${euros(1234)} to @alice.`);
    const [payment] = await wallet.payments();
    expect(payment).toMatchObject({
      status: 'completed',
      mode: 'private',
      amountCents: 1234,
      tweetText: null,
    });
    expect(await wallet.balance('alice@demo.test')).toMatchObject({
      availableCents: before.alice.availableCents + 1234,
    });
    await popup.page.reload();
    await expect(popup.available()).toHaveText(euros(before.me.availableCents - 1234));
    await expect(popup.history().locator(`[data-payment-id="${payment!.id}"]`)).toContainText('pour le café');
  });

  test('should hold a hand-typed payment tweet until the payer confirms it in the popup', async ({
    context,
    extensionId,
    sw,
    wallet,
  }) => {
    const popup = await signIn(context, extensionId);
    await wallet.deliverTweet({
      tweetId: newTweetId(),
      text: '@SMoneyfr #envoyer 3EUR @alice typed by hand',
      userId: ME.id,
      handle: ME.handle,
      mentions: [BOT, { handle: alice.handle, userId: alice.id }],
    });
    const [typed] = await wallet.payments();
    expect(typed).toMatchObject({ status: 'awaiting_confirmation', amountCents: 300 });
    await popup.page.reload();
    const row = popup.pending().locator(`[data-payment-id="${typed!.id}"]`);
    await expect(row).toBeVisible();
    // The extension did not write this tweet: the popup says so next to Confirm.
    await expect(row.getByTestId('not-written-by-us')).toHaveText(
      'You did not make this tweet with Tweetez Payez — check the recipient.',
    );
    expect(await badgeText(sw)).toBe('1');
    await row.getByRole('button', { name: /^Confirm/ }).click();
    await expect(row).toHaveCount(0);
    await expect.poll(async () => (await wallet.payments())[0]?.status).toBe('completed');
    expect(await badgeText(sw)).toBe('');
    await expect.poll(() => notificationIds(sw)).toContain(`payment:${typed!.id}:completed`);
  });

  test('should flag a payment tweet the page rewrites after the fill, in the page and the popup, and once posted', async ({
    context,
    extensionId,
    wallet,
  }) => {
    const popup = await signIn(context, extensionId);
    const x = await openX(context, '/alice');
    const confirm = await confirmWindow(context, payOnProfile(x, 'alice'));
    await confirm.getByTestId('preset-500').click();
    await confirm.getByTestId('mode-tweet').check();
    await pressConfirm(confirm);
    await expect(confirm.getByTestId('fill-outcome')).toHaveAttribute('data-method', /paste|execCommand/);
    const [filled] = await wallet.payments();
    const editor = x.locator('[data-testid^="tweetTextarea_"][contenteditable="true"]').first();
    await expect(editor).toHaveText(filled!.tweetText!);
    expect(await x.locator('[data-tweetez-payez-notice]').count()).toBe(0);

    // The page rewrites the filled tweet through the editor, as X's own model would take it.
    const rewritten = filled!.tweetText!.replace('5EUR', '249EUR');
    await x.evaluate((text) => {
      const el = document.querySelector(
        '[data-testid^="tweetTextarea_"][contenteditable="true"]',
      ) as HTMLElement;
      el.focus();
      document.execCommand('selectAll');
      document.execCommand('insertText', false, text);
    }, rewritten);
    await expect(editor).toHaveText(rewritten);
    await expect
      .poll(() => closedShadowText(x, '[data-tweetez-payez-notice]'))
      .toContain('this payment tweet was changed after Tweetez Payez wrote it');
    await popup.page.reload();
    await expect(popup.page.getByTestId('composer-changed')).toBeVisible();

    // The user posts it anyway: it holds nothing until confirmed, and the popup marks it as not ours.
    await wallet.deliverTweet({
      tweetId: newTweetId(),
      text: rewritten,
      userId: ME.id,
      handle: ME.handle,
      mentions: [BOT, { handle: alice.handle, userId: alice.id }],
    });
    const typed = (await wallet.payments()).find((p) => p.amountCents === 24_900);
    expect(typed).toMatchObject({ status: 'awaiting_confirmation' });
    await popup.page.reload();
    const row = popup.pending().locator(`[data-payment-id="${typed!.id}"]`);
    await expect(row.getByTestId('not-written-by-us')).toBeVisible();
    // The payment the extension did write waits for its own tweet, unmarked.
    const ours = popup.pending().locator(`[data-payment-id="${filled!.id}"]`);
    await expect(ours).toBeVisible();
    await expect(ours.getByTestId('not-written-by-us')).toHaveCount(0);
  });

  test('should hold the money for a recipient without a wallet (claimable), from the popup "Pay @handle"', async ({
    context,
    extensionId,
    sw,
    wallet,
  }) => {
    const popup = await signIn(context, extensionId);
    await openX(context, '/frank');
    await popup.page.reload();
    await expect(popup.page.getByTestId('pay-current-tab')).toContainText('@frank');
    const confirm = await confirmWindow(context, () => popup.page.getByTestId('pay-current-tab').click());
    await expect(confirm.getByTestId('recipient-status')).toHaveAttribute('data-registered', 'false');
    await expect(confirm.getByTestId('recipient-unregistered')).toContainText('14');
    await confirm.getByTestId('preset-200').click();
    await confirm.getByTestId('mode-private').check();
    await pressConfirm(confirm);
    await expect(confirm.getByTestId('private-outcome')).toHaveText(
      `${euros(200)} is held for @frank until they open a wallet.`,
    );
    const [payment] = await wallet.payments();
    expect(payment).toMatchObject({ status: 'claimable', amountCents: 200, recipient: { handle: 'frank' } });
    await expect.poll(() => notificationIds(sw)).toContain(`payment:${payment!.id}:claimable`);
  });

  test('should explain an amount over the recipient limit and not let it be confirmed', async ({
    context,
    extensionId,
    wallet,
  }) => {
    await signIn(context, extensionId);
    const count = (await wallet.payments()).length;
    const x = await openX(context, '/alice');
    const confirm = await confirmWindow(context, payOnProfile(x, 'alice'));
    await confirm.getByTestId('amount-input').fill('300');
    await expect(confirm.getByTestId('amount-problem')).toHaveText(
      `Over the limit: at most ${euros(25_000)} per payment to this recipient.`,
    );
    await expect(confirm.getByTestId('confirm-button')).toBeDisabled();
    expect(await wallet.payments()).toHaveLength(count);
  });

  test('should make exactly one payment when the service worker is stopped mid-payment', async ({
    context,
    extensionId,
    sw,
    wallet,
  }) => {
    const proxy = await startHoldingProxy(wallet.url);
    try {
      await setWalletUrl(sw, proxy.url);
      await signIn(context, extensionId);
      const count = (await wallet.payments()).length;
      const x = await openX(context, '/alice');
      const confirm = await confirmWindow(context, payOnProfile(x, 'alice'));
      await confirm.getByTestId('amount-input').fill('7');
      await confirm.getByTestId('mode-private').check();
      const held = proxy.holdNext();
      await pressConfirm(confirm);
      await held.arrived;
      // The worker dies while its request is on the wire; the server still gets it and pays.
      const cdp = await context.newCDPSession(confirm);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      held.release();
      await held.forwarded;
      await expect(confirm.getByTestId('error')).toBeVisible();
      expect(await wallet.payments()).toHaveLength(count + 1);

      // The user confirms again: the woken worker re-sends the saved intent with the same Idempotency-Key.
      await pressConfirm(confirm);
      await expect(confirm.getByTestId('private-outcome')).toBeVisible();
      const payments = await wallet.payments();
      expect(payments).toHaveLength(count + 1);
      expect(payments[0]).toMatchObject({ amountCents: 700, status: 'completed' });
      expect(proxy.keys.length).toBeGreaterThanOrEqual(2);
      expect(new Set(proxy.keys).size).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  test('should refresh an expired access token transparently', async ({
    context,
    extensionId,
    sw,
    wallet,
  }) => {
    const popup = await signIn(context, extensionId);
    const first = await storedTokens(sw);
    wallet.advance(16 * 60_000); // the 15-minute access token is now expired on the server
    await popup.page.reload();
    await expect(popup.balance()).toBeVisible();
    const second = await storedTokens(sw);
    expect(second?.accessToken).toBeTruthy();
    expect(second?.accessToken).not.toBe(first?.accessToken);
    expect(second?.refreshToken).not.toBe(first?.refreshToken);
  });

  test('should show the sign-in form when the session was revoked', async ({
    context,
    extensionId,
    sw,
    wallet,
  }) => {
    const popup = await signIn(context, extensionId);
    const tokens = await storedTokens(sw);
    const res = await fetch(`${wallet.url}/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens!.accessToken}` },
    });
    expect(res.status).toBe(204);
    await popup.page.reload();
    await expect(popup.page.getByTestId('signin-email')).toBeVisible();
    expect(await storedTokens(sw)).toBeNull();
  });
});
