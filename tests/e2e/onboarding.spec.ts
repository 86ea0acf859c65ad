/**
 * A first-time user in Chromium, with the built extension, the offline X pages and a real wallet server: the off
 * switch of the Pay buttons (options and popup), the profile Pay button lined up with X's header buttons, and the
 * whole journey from install to a first payment (open a wallet, add money by card through the Stripe stand-in).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { openExtensionPage } from './pages/extension';
import { OptionsPage } from './pages/options';
import { expectPayButtons, openX } from './pages/x';

const count = (page: Page, kind: 'tweet' | 'profile') =>
  page.evaluate((k) => document.querySelectorAll(`[data-tweetez-payez="${k}"]`).length, kind);

test.describe('first-time user', () => {
  test('should remove every Pay button from open X tabs at once when switched off, and add none until on again', async ({
    context,
    extensionId,
  }) => {
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
  });
});
