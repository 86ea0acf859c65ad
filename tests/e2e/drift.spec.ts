/**
 * X changes its markup: the built extension in Chromium over every drift variant of the offline X pages
 * (tests/fixtures/x/drift.ts). For each one, on the home timeline and on a profile: no Pay button on a post
 * that must not have one, none naming anyone but the post's author, none outside a post; and when only one of X's
 * markers changed, at least 80 % of the payable posts and the profile header keep theirs. Prints the coverage
 * table (docs/x-drift.md). Then the self-diagnosis: a page where nothing could be placed says so on the badge and
 * in the popup, whose "Pay @handle" still works from the URL.
 */
import type { Page, Worker } from '@playwright/test';
import { DRIFTS } from '../fixtures/x/drift';
import { routeX, X } from './x-pages';
import { PopupPage } from './pages/popup';
import { audit, payButtons } from './pages/x';
import { badgeText, confirmWindow, expect, signIn, test } from './pages/wallet';

type ChromeApi = {
  storage: {
    session: { get(k: string): Promise<Record<string, unknown>>; remove(k: string): Promise<void> };
  };
  action: { getBadgeText(d: { tabId?: number }): Promise<string> };
};

async function forgetHealth(sw: Worker): Promise<void> {
  await sw.evaluate(() =>
    (globalThis as unknown as { chrome: ChromeApi }).chrome.storage.session.remove('tabHealth'),
  );
}

/** The health verdicts the background got since `forgetHealth` (tab id → paused). */
async function health(sw: Worker): Promise<Record<string, boolean>> {
  return sw.evaluate(
    async () =>
      ((await (globalThis as unknown as { chrome: ChromeApi }).chrome.storage.session.get('tabHealth'))
        .tabHealth ?? {}) as Record<string, boolean>,
  );
}

/** Opens `path` with the drift variant and waits for the content script's first health report of that page. */
async function openVariant(page: Page, sw: Worker, path: string, drift: string): Promise<boolean> {
  await page.goto('about:blank');
  await forgetHealth(sw);
  await page.goto(`${X}${path}?drift=${drift}`);
  await expect.poll(async () => Object.values(await health(sw)).length, { intervals: [50] }).toBe(1);
  return Object.values(await health(sw))[0] as boolean;
}

test.describe('X changed its page', () => {
  test('every drift variant: never a wrong post or person; one marker changed keeps ≥ 80 % of the buttons', async ({
    context,
    sw,
  }) => {
    test.setTimeout(240_000);
    // Every post of the timeline rendered at once (a tall overscan): the table counts them all.
    await routeX(context, { count: 45, pageSize: 45, loadDelay: 0, overscan: 20_000 });
    const page = await context.newPage();
    const table: string[] = [
      '| change to X’s markup | posts with a Pay button | profile button | paused |',
      '|---|---|---|---|',
    ];
    const failures: string[] = [];
    for (const drift of DRIFTS) {
      const pausedHome = await openVariant(page, sw, '/home', drift.name);
      const rows = await audit(page);
      let payable = 0;
      let placed = 0;
      for (const r of rows) {
        const wrong = r.labels.filter((l) => l !== `Pay @${r.expected}`);
        if (r.expected === null && r.hosts)
          failures.push(`${drift.name}: ${r.kind} post ${r.postId} has a button`);
        if (r.expected !== null && (wrong.length || r.hosts > 1))
          failures.push(`${drift.name}: post ${r.postId} (@${r.expected}) has [${r.labels.join(', ')}]`);
        if (r.expected === null) continue;
        payable++;
        if (r.hosts === 1 && r.lastInBar && !wrong.length) placed++;
      }
      const stray = await page.evaluate(
        () =>
          [...document.querySelectorAll('[data-tweetez-payez]')].filter(
            (h) => !h.closest('[data-fixture-post]'),
          ).length,
      );
      if (stray) failures.push(`${drift.name}: ${stray} button(s) outside posts`);
      const pausedProfile = await openVariant(page, sw, '/alice', drift.name);
      const buttons = await payButtons(page);
      const profile = buttons.filter((b) => b?.variant === 'profile');
      const header = await page.evaluate(
        () =>
          !!document
            .querySelector('[data-fixture="profile-header"] [data-tweetez-payez="profile"]')
            ?.nextElementSibling?.querySelector('button[aria-label="Follow @alice"]'),
      );
      if (profile.some((b) => b?.label !== 'Pay @alice') || profile.length > 1)
        failures.push(`${drift.name}: profile buttons [${profile.map((b) => b?.label).join(', ')}]`);
      if (profile.length && !header) failures.push(`${drift.name}: the profile button is not before Follow`);
      const ratio = payable ? placed / payable : 0;
      if (drift.single && ratio < 0.8) failures.push(`${drift.name}: only ${placed} of ${payable} posts`);
      if (drift.single && profile.length !== 1) failures.push(`${drift.name}: no profile button`);
      if (placed === 0 && !pausedHome) failures.push(`${drift.name}: no button and not paused`);
      table.push(
        `| ${drift.change}${drift.single ? '' : ' (several)'} | ${placed} of ${payable} (${Math.round(ratio * 100)} %) | ${profile.length ? 'yes' : 'no'} | ${[pausedHome && 'home', pausedProfile && 'profile'].filter(Boolean).join(', ') || 'no'} |`,
      );
    }
    console.log(`\n${table.join('\n')}\n`);
    expect(failures).toEqual([]);
  });

  test('a page where no button could be placed says so on the badge and in the popup; the popup still pays', async ({
    context,
    extensionId,
    sw,
    wallet,
  }) => {
    expect(wallet).toBeTruthy(); // the wallet server the extension signs in to
    const popup = await signIn(context, extensionId);
    await routeX(context);
    const x = await context.newPage();
    await openVariant(x, sw, '/frank', 'multi-everything');
    await expect.poll(async () => Object.values(await health(sw))).toEqual([true]);
    const tabId = Number(Object.keys(await health(sw))[0]);
    expect(
      await sw.evaluate(
        (tabId) => (globalThis as unknown as { chrome: ChromeApi }).chrome.action.getBadgeText({ tabId }),
        tabId,
      ),
    ).toBe('!');
    expect(await x.locator('[data-tweetez-payez="tweet"]').count()).toBe(0);
    await x.bringToFront();
    await popup.page.reload();
    await expect(popup.page.getByTestId('page-paused')).toHaveText(
      'X changed its page; Pay buttons are paused here — you can still pay the profile in this tab from here.',
    );
    await expect(popup.page.getByTestId('pay-current-tab')).toContainText('@frank');
    const confirm = await confirmWindow(context, () => popup.page.getByTestId('pay-current-tab').click());
    await expect(confirm.getByTestId('recipient-handle')).toContainText('@frank');
    // The same tab on a page X did not change: the tab's badge goes back to the global one, the notice goes.
    await openVariant(x, sw, '/frank', 'none');
    await expect.poll(async () => Object.values(await health(sw))).toEqual([false]);
    expect(
      await sw.evaluate(
        (tabId) => (globalThis as unknown as { chrome: ChromeApi }).chrome.action.getBadgeText({ tabId }),
        tabId,
      ),
    ).toBe(await badgeText(sw));
    await x.bringToFront();
    const again = await PopupPage.open(context, extensionId); // the first one closed itself after "Pay"
    await expect(again.page.getByTestId('pay-current-tab')).toContainText('@frank');
    await expect(again.page.getByTestId('page-paused')).toHaveCount(0);
  });
});
