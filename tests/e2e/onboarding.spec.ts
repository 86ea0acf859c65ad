/**
 * A first-time user in Chromium, with the built extension, the offline X pages and a real wallet server: the off
 * switch of the Pay buttons (options and popup), the profile Pay button lined up with X's header buttons, and the
 * whole journey from install to a first payment (open a wallet, add money by card through the Stripe stand-in).
 */
import type { Page } from '@playwright/test';
import { startFakeStripe, type FakeStripe } from '../fake-stripe';
import { expectNoSeriousA11yViolations } from './axe';
import { expect, test as base } from './fixtures';
import { openExtensionPage, patchSettings } from './pages/extension';
import { OptionsPage } from './pages/options';
import { confirmWindow, pressConfirm } from './pages/wallet';
import { expectPayButtons, openX, payButtonInfo } from './pages/x';
import { startTestWallet, type TestWallet } from './wallet-server';

/**
 * A wallet with card top-ups through the Stripe stand-in. Set up before the browser and torn down after it (the
 * extension keeps polling the wallet while the browser is open).
 */
const test = base.extend<{ cardWallet: { wallet: TestWallet; stripe: FakeStripe } }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies by destructuring
  cardWallet: async ({}, use) => {
    const stripe = await startFakeStripe();
    const wallet = await startTestWallet({ stripe: stripe.walletSettings(PUBLIC_URL) });
    stripe.webhookUrl = `${wallet.url}/v1/webhooks/stripe`;
    await use({ wallet, stripe });
    await wallet.close();
    await stripe.close();
  },
});

/** The wallet's public address as Stripe knows it; the browser is routed from there to the test wallet. */
const PUBLIC_URL = 'https://wallet.e2e.test';

/** No serious accessibility violation in the light and in the dark colour scheme. */
async function scanLightAndDark(page: Page): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousA11yViolations(page);
  }
  await page.emulateMedia({ colorScheme: null });
}

const count = (page: Page, kind: 'tweet' | 'profile') =>
  page.evaluate((k) => document.querySelectorAll(`[data-tweetez-payez="${k}"]`).length, kind);

test.describe('first-time user', () => {
  test('should remove every Pay button from open X tabs at once when switched off, and add none until on again', async ({
    context,
    extensionId,
  }) => {
    // Two X tabs, the options page and the popup, six accessibility scans: 40 s on a quiet 2-core machine.
    test.setTimeout(120_000);
    const home = await openX(context, '/home');
    await expectPayButtons(home, { minPosts: 3 });
    const profile = await openX(context, '/alice');
    await expect.poll(() => count(profile, 'profile')).toBe(1);

    // Options: posts off — the timeline's buttons go, the profile's stays.
    const options = await OptionsPage.open(context, extensionId);
    await expect(options.page.getByTestId('show-pay-posts')).toBeChecked();
    await expect(options.page.getByTestId('show-pay-profiles')).toBeChecked();
    await options.page.getByTestId('show-pay-posts').uncheck();
    await expect.poll(() => count(home, 'tweet')).toBe(0);
    expect(await count(profile, 'profile')).toBe(1);

    // The popup's quick switch: everything off.
    const popup = await openExtensionPage(context, extensionId, 'popup.html');
    const toggle = popup.getByTestId('pay-buttons-toggle');
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await scanLightAndDark(popup);
    await scanLightAndDark(options.page);
    await expect.poll(() => count(profile, 'profile')).toBe(0);
    // The options page follows the popup.
    await expect(options.page.getByTestId('show-pay-profiles')).not.toBeChecked();

    // None comes back: new posts, navigation, a reload (the setting is stored).
    await home.evaluate(() => window.__x!.navigate('/alice'));
    await home.evaluate(() => window.__x!.navigate('/home'));
    await expect(home.locator('article[data-testid="tweet"]').first()).toBeVisible();
    await profile.reload();
    await profile.waitForFunction(() => !!window.__x);
    await expect(
      profile.getByTestId('primaryColumn').getByRole('button', { name: 'Follow @alice' }),
    ).toBeVisible();
    expect(await count(home, 'tweet')).toBe(0);
    expect(await count(profile, 'profile')).toBe(0);
    await expect(toggle).toHaveAttribute('aria-checked', 'false');

    // On again: both tabs get their buttons back without a reload.
    await toggle.click();
    await expectPayButtons(home, { minPosts: 3 });
    await expect.poll(() => count(profile, 'profile')).toBe(1);
    await expect(options.page.getByTestId('show-pay-posts')).toBeChecked();

    // The "Open a wallet" form in English, with every field's error shown.
    await popup.getByTestId('signup-link').click();
    await popup.getByTestId('signup-submit').click();
    await expect(popup.getByTestId('signup-terms-error')).toBeVisible();
    await scanLightAndDark(popup);
  });

  test('should line the profile Pay button up with More and Message in the header row, light and dark', async ({
    context,
  }) => {
    for (const theme of ['light', 'dark'] as const) {
      const page = await openX(context, '/alice', { theme });
      await page.locator('[data-tweetez-payez="profile"]').waitFor();
      // The shadow root is closed; the button fills its host, so the host's box is the button's.
      expect(await payButtonInfo(page, '[data-tweetez-payez="profile"]')).toMatchObject({
        label: 'Pay @alice',
      });
      const boxes = await page.evaluate(() => {
        const box = (el: Element | null) => {
          const r = el!.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom };
        };
        return {
          pay: box(document.querySelector('[data-tweetez-payez="profile"]')),
          more: box(document.querySelector('[data-testid="userActions"]')),
          message: box(document.querySelector('[data-testid="sendDMFromProfile"]')),
        };
      });
      for (const other of [boxes.more, boxes.message]) {
        expect(Math.abs(boxes.pay.top - other.top), `${theme}: top`).toBeLessThanOrEqual(1);
        expect(Math.abs(boxes.pay.bottom - other.bottom), `${theme}: bottom`).toBeLessThanOrEqual(1);
      }
      await page.close();
    }
  });

  test('should go from install to a first payment: open a wallet, add 20 € by card, pay privately from a profile', async ({
    cardWallet,
    context,
    extensionId,
  }) => {
    test.setTimeout(120_000);
    const { wallet, stripe } = cardWallet;
    // Checkout sends the user back to the wallet's own pages.
    await context.route(`${PUBLIC_URL}/**`, async (route) => {
      const res = await fetch(route.request().url().replace(PUBLIC_URL, wallet.url));
      await route.fulfill({
        status: res.status,
        headers: Object.fromEntries(res.headers),
        body: await res.text(),
      });
    });
    const popup = await openExtensionPage(context, extensionId, 'popup.html');
    await patchSettings(popup, { walletUrl: wallet.url, language: 'fr' });
    await popup.reload();

    // Open a wallet from the popup.
    await popup.getByTestId('signup-link').click();
    await expect(popup.getByTestId('signup-password-rules')).toHaveText(
      'Au moins 10 caractères, pas votre adresse e-mail.',
    );
    await popup.getByTestId('signup-email').fill('nora@e2e.test');
    await popup.getByTestId('signup-name').fill('Nora');
    await popup.getByTestId('signup-password').fill('nora-passphrase');
    await popup.getByTestId('signup-terms').check();
    await popup.getByTestId('signup-submit').click();
    await expect(popup.getByTestId('next-steps')).toBeVisible({ timeout: 20_000 });
    await expect(popup.getByTestId('balance-available')).toHaveText('0,00 €');

    // Add 20 €: Stripe's Checkout page (the stand-in) opens in a tab; the top-up waits for Stripe.
    await popup.getByTestId('topup-amount').fill('20');
    const [checkout] = await Promise.all([
      context.waitForEvent('page', (p) => p.url().startsWith(stripe.url)),
      popup.getByTestId('topup-submit').click(),
    ]);
    const topUp = popup.getByTestId('topup-list').locator('li').first();
    await expect(topUp).toHaveAttribute('data-status', 'pending');
    await expect(popup.getByTestId('balance-available')).toHaveText('0,00 €');
    // Paying there sends the signed checkout.session.completed to the wallet, then returns to the wallet.
    await checkout.getByTestId('fake-stripe-pay').click();
    await expect(checkout.getByRole('heading', { name: 'Payment received' })).toBeVisible();
    await popup.reload();
    await expect(popup.getByTestId('balance-available')).toHaveText('20,00 €');
    await expect(popup.getByTestId('topup-list').locator('li').first()).toHaveAttribute(
      'data-status',
      'credited',
    );

    // Pay @alice 5 € privately from her profile.
    const x = await openX(context, '/alice');
    const confirm = await confirmWindow(context, () => x.locator('[data-tweetez-payez="profile"]').click());
    await confirm.getByTestId('mode-private').check();
    await confirm.getByTestId('preset-500').click();
    await pressConfirm(confirm);
    await expect(confirm.getByTestId('payment-status')).toHaveAttribute('data-status', 'completed');
    await confirm.close();

    // History shows both: the payment to @alice and the credited top-up.
    await popup.reload();
    await expect(popup.getByTestId('balance-available')).toHaveText('15,00 €');
    const paid = popup.getByTestId('history-list').locator('li').first();
    await expect(paid).toContainText('@alice');
    await expect(paid).toContainText('5,00 €');
    await expect(popup.getByTestId('topup-list').locator('li').first()).toContainText('Crédité');

    // Pay buttons off: none left on the profile, but the popup still pays the profile in the tab.
    await popup.getByTestId('pay-buttons-toggle').click();
    await expect.poll(() => count(x, 'profile')).toBe(0);
    await x.bringToFront();
    await popup.reload();
    await expect(popup.getByTestId('pay-current-tab')).toContainText('@alice');
    const again = await confirmWindow(context, () => popup.getByTestId('pay-current-tab').click());
    await expect(again.getByTestId('recipient-handle')).toHaveText('@alice');
  });
});
