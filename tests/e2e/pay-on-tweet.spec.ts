/**
 * pay-on-tweet in Chromium with the built extension, on the offline X pages: one Pay button per eligible post
 * and none elsewhere, through scrolling, cell reuse, re-renders, navigation; clicks open the confirm window and
 * never the post; keyboard works; a page's synthetic click does nothing.
 */
import { expect, test } from './fixtures';
import { audit, expectPayButtons, openX, payButtonInfo, payButtonOf, pendingRequests } from './pages/x';
import { postId } from '../fixtures/x/data';

test.describe('pay-on-tweet', () => {
  test('should put one Pay button on each eligible post, and keep it so while scrolling 200 posts', async ({
    context,
  }) => {
    test.setTimeout(120_000); // 200 posts scrolled one by one: 35 s on a quiet 2-core machine
    const page = await openX(context, '/home', { count: 260 });
    await expectPayButtons(page, { minPosts: 5 });
    const kinds = new Set<string>();
    const checked = new Set<string>();
    for (let i = 0; checked.size < 200; i += 6) {
      await page.evaluate((i) => window.__x!.scrollToIndex(i), i);
      await expectPayButtons(page);
      for (const row of await audit(page)) {
        checked.add(row.postId);
        kinds.add(row.kind);
      }
      expect(i, 'scrolled past the timeline without seeing 200 posts').toBeLessThan(400);
    }
    // Every kind of post was met: plain, repost, quote, unavailable quote, promoted, video, own.
    expect([...kinds].sort()).toEqual([
      'own',
      'plain',
      'promoted',
      'quote',
      'repost',
      'unavailableQuote',
      'video',
    ]);
    // Who-to-follow rows and the sidebar never get one.
    expect(await page.locator('[data-testid="UserCell"] [data-tweetez-payez]').count()).toBe(0);
  });

  test('should follow a reused cell node, in-place re-renders and Like/Repost toggles', async ({
    context,
  }) => {
    const page = await openX(context, '/home', { recycle: true });
    await expectPayButtons(page, { minPosts: 3 });
    // Scroll far and back: unmounted cell nodes are reused for other posts.
    await page.evaluate(() => window.__x!.scrollToIndex(60));
    await expectPayButtons(page);
    await page.evaluate(() => window.__x!.scrollToIndex(0));
    await expectPayButtons(page);

    // The node of post 0 (alice) now shows the 100th cell's post (by EveOnline_): the button follows the author.
    expect(await page.evaluate((id) => window.__x!.reuseCell(id, 100), postId(0))).toBe(true);
    await expectPayButtons(page);
    const [first] = await audit(page);
    expect(first?.postId).not.toBe(postId(0));
    expect(first?.labels).toEqual(['Pay @EveOnline_']);

    for (const mode of ['bar', 'children', 'article'] as const) {
      expect(await page.evaluate(([id, m]) => window.__x!.rerender(id, m), [postId(2), mode] as const)).toBe(
        true,
      );
      await expectPayButtons(page);
    }

    const post = page.locator('article', { has: page.locator(`a[href$="/status/${postId(2)}"]`) }).first();
    await post.getByTestId('like').click();
    await expect(post.getByTestId('unlike')).toBeVisible();
    await post.getByTestId('retweet').click();
    await expect(post.getByTestId('unretweet')).toBeVisible();
    await expectPayButtons(page);
    expect(await page.evaluate(() => window.__x!.opened)).toEqual([]);
  });

  test('should keep the buttons right across SPA navigation', async ({ context }) => {
    const page = await openX(context, '/home');
    await expectPayButtons(page, { minPosts: 3 });
    for (const path of [`/alice/status/${postId(0)}`, '/hugo', '/explore', '/home', '/tp_me', '/home']) {
      await page.evaluate((p) => window.__x!.navigate(p), path);
      if (path === '/explore') {
        await expect(page.locator('[data-tweetez-payez]')).toHaveCount(0);
        continue;
      }
      await expectPayButtons(page, { minPosts: 1 });
    }
    // Your own profile's posts are yours: none.
    await page.evaluate(() => window.__x!.navigate('/tp_me'));
    await expect.poll(async () => (await audit(page)).length).toBeGreaterThan(0);
    await expect(page.locator('[data-tweetez-payez]')).toHaveCount(0);
  });

  test('should label the buttons in French and style them for the dark theme', async ({ context }) => {
    const page = await openX(context, '/home', { lang: 'fr', theme: 'dark' });
    await expectPayButtons(page, { lang: 'fr', minPosts: 3 });
    const host = page.locator('[data-tweetez-payez="tweet"]').first();
    const color = async () => (await payButtonInfo(page, '[data-tweetez-payez="tweet"]'))?.color;
    await expect(host).toHaveAttribute('data-theme', 'dark');
    await expect.poll(color).toBe('rgb(113, 118, 123)');
    await page.evaluate(() => window.__x!.setTheme('light'));
    await expect(host).toHaveAttribute('data-theme', 'light');
    await expect.poll(color).toBe('rgb(83, 100, 113)');
  });

  test('should open the confirm window for the post author on click, without opening the post', async ({
    context,
    sw,
  }) => {
    const page = await openX(context, '/home');
    await expectPayButtons(page, { minPosts: 3 });
    // Post 3 is a repost: it pays the original author.
    const row = (await audit(page)).find((r) => r.kind === 'repost');
    expect(row?.expected).toBeTruthy();
    const confirm = context.waitForEvent('page');
    await payButtonOf(page, row!.postId).click();
    const win = await confirm;
    expect(win.url()).toMatch(/\/confirm\.html\?request=/);
    const requests = await pendingRequests(sw);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      recipientHandle: row!.expected,
      tweetId: row!.postId,
      source: 'tweet',
    });
    expect(win.url()).toContain(requests[0]!.id);
    expect(await page.evaluate(() => window.__x!.opened)).toEqual([]);
    expect(page.url()).toBe('https://x.com/home');
  });

  test('should be reachable and usable with the keyboard', async ({ context, sw }) => {
    const page = await openX(context, '/home');
    await expectPayButtons(page, { minPosts: 3 });
    const id = postId(0);
    // Tab from the post's Share button lands on its Pay button.
    const share = (id: string) =>
      page
        .locator('article', { has: page.locator(`a[href$="/status/${id}"]`) })
        .first()
        .getByRole('button', { name: 'Share post' });
    await share(id).focus();
    await page.keyboard.press('Tab');
    await expect(payButtonOf(page, id)).toBeFocused(); // the host: its closed shadow root holds the focus
    const first = context.waitForEvent('page');
    await page.keyboard.press('Enter');
    await first;
    await expect
      .poll(async () => (await pendingRequests(sw)).map((r) => r.recipientHandle))
      .toEqual(['alice']);
    // Space on another post's button: its request replaces the pending one (one confirm window).
    await page.bringToFront();
    await share(postId(1)).focus();
    await page.keyboard.press('Tab');
    await expect(payButtonOf(page, postId(1))).toBeFocused();
    await page.waitForTimeout(1100); // the background accepts one request per second per tab
    await page.keyboard.press('Space');
    await expect
      .poll(async () => (await pendingRequests(sw)).map((r) => r.recipientHandle))
      .toEqual(['Bob_Builder']);
    expect(await page.evaluate(() => window.__x!.opened)).toEqual([]);
  });

  test('should ignore a synthetic click from the page', async ({ context, sw }) => {
    const page = await openX(context, '/home');
    await expectPayButtons(page, { minPosts: 3 });
    const pagesBefore = context.pages().length;
    const clicked = await page.evaluate(() => {
      const host = document.querySelector<HTMLElement>('[data-tweetez-payez="tweet"]');
      host?.click();
      host?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      return !!host && host.shadowRoot === null; // the button itself is out of the page's reach
    });
    expect(clicked).toBe(true);
    await page.waitForTimeout(500);
    expect(await pendingRequests(sw)).toEqual([]);
    expect(context.pages()).toHaveLength(pagesBefore);
  });
});
