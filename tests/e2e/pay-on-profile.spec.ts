/**
 * pay-on-profile in Chromium with the built extension, on the offline X pages: one Pay button before the Follow
 * button of another user's profile, none on your own, none while the header names someone else, and still one
 * after Follow/Unfollow and navigation.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { openX, payButtons, pendingRequests } from './pages/x';

/** The profile hosts in the page, where they sit and what their button is called. */
async function profileHosts(page: Page) {
  const hosts = await page.evaluate(() =>
    [...document.querySelectorAll('[data-tweetez-payez]')].map((host) => ({
      profile: host.getAttribute('data-tweetez-payez') === 'profile',
      beforeFollow: !!host.nextElementSibling?.querySelector(
        '[data-testid$="-follow"], [data-testid$="-unfollow"]',
      ),
    })),
  );
  const buttons = await payButtons(page);
  if (buttons.length !== hosts.length) return 'changing';
  return hosts.flatMap(({ profile, beforeFollow }, i) =>
    profile ? [{ label: buttons[i]?.label ?? null, beforeFollow }] : [],
  );
}

const one = (label: string) => [{ label, beforeFollow: true }];

test.describe('pay-on-profile', () => {
  test('should put one Pay button before Follow, and keep exactly one through Follow and navigation', async ({
    context,
  }) => {
    const page = await openX(context, '/alice');
    await expect.poll(() => profileHosts(page)).toEqual(one('Pay @alice'));

    const header = page.getByTestId('primaryColumn');
    await header.getByRole('button', { name: 'Follow @alice' }).click();
    await expect(header.getByRole('button', { name: 'Following @alice' })).toBeVisible();
    await expect.poll(() => profileHosts(page)).toEqual(one('Pay @alice'));
    await header.getByRole('button', { name: 'Following @alice' }).click();
    await expect.poll(() => profileHosts(page)).toEqual(one('Pay @alice'));

    // Profile → home → profile, and profile → another profile (X updates the header in place).
    await page.evaluate(() => window.__x!.navigate('/home'));
    await expect.poll(() => profileHosts(page)).toEqual([]);
    await page.evaluate(() => window.__x!.navigate('/alice'));
    await expect.poll(() => profileHosts(page)).toEqual(one('Pay @alice'));
    await page.evaluate(() => window.__x!.navigate('/hugo/media'));
    await expect.poll(() => profileHosts(page)).toEqual(one('Pay @hugo'));
    await page.goBack();
    await expect.poll(() => profileHosts(page)).toEqual(one('Pay @alice'));
  });

  test('should put none on your own profile, nor under a header that names another handle', async ({
    context,
  }) => {
    const page = await openX(context, '/tp_me');
    await expect(page.getByTestId('editProfileButton')).toBeVisible();
    await page.evaluate(() => window.__x!.navigate('/alice'));
    await expect.poll(() => profileHosts(page)).toEqual(one('Pay @alice'));
    await page.evaluate(() => window.__x!.navigate('/tp_me'));
    await expect.poll(() => profileHosts(page)).toEqual([]);
    await page.evaluate(() => window.__x!.navigate('/alice'));
    await expect.poll(() => profileHosts(page)).toEqual(one('Pay @alice'));
    // The URL says alice, the header (stale) says mallory: no button until they agree.
    await page.evaluate(() => window.__x!.staleProfileHeader('mallory'));
    await expect.poll(() => profileHosts(page)).toEqual([]);
  });

  test('should open the confirm window for the profile (in French) and ignore a synthetic click', async ({
    context,
    sw,
  }) => {
    const page = await openX(context, '/chloe_fr', { lang: 'fr', theme: 'dark' });
    await expect.poll(() => profileHosts(page)).toEqual(one('Payer @chloe_fr'));
    const button = page.locator('[data-tweetez-payez="profile"]');
    await expect(page.locator('[data-tweetez-payez="profile"]')).toHaveAttribute('data-theme', 'dark');
    const win = context.waitForEvent('page');
    await button.click();
    expect((await win).url()).toMatch(/\/confirm\.html\?request=/);
    const [request] = await pendingRequests(sw);
    expect(request).toMatchObject({ recipientHandle: 'chloe_fr', tweetId: null, source: 'profile' });

    // A synthetic click from the page changes nothing.
    await page.bringToFront();
    await page.evaluate(() =>
      (document.querySelector('[data-tweetez-payez="profile"]') as HTMLElement).click(),
    );
    await page.waitForTimeout(300);
    expect((await pendingRequests(sw)).map((r) => r.id)).toEqual([request!.id]);
  });
});
