/**
 * fill-composer in Chromium with the built extension: the background's `fillComposer` message (sent here from
 * the service worker, as entrypoints/background/fill.ts does) opens the right composer of the offline X page,
 * fills it through X-like Draft.js paths and leaves Post enabled — and never posts.
 */
import type { Page, Worker } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectPayButtons, openX } from './pages/x';
import { postId } from '../fixtures/x/data';

const SINGLE = '@SMoneyfr #envoyer 12,50EUR @alice';
const WITH_MESSAGE = '@SMoneyfr #envoyer 5EUR @Bob_Builder Merci pour le café ☕\n\nÀ charge de revanche !';

/** Sends `fillComposer` to the X tab from the service worker; resolves with the content script's reply. */
function fill(sw: Worker, data: unknown): Promise<unknown> {
  return sw.evaluate(async (data) => {
    type Tabs = {
      query(q: object): Promise<{ id?: number }[]>;
      sendMessage(id: number, m: object, o: object): Promise<unknown>;
    };
    const tabs = (globalThis as unknown as { chrome: { tabs: Tabs } }).chrome.tabs;
    // No "tabs" permission, so no URLs here: the X page is the tab opened last.
    const id = Math.max(...(await tabs.query({})).map((t) => t.id ?? -1));
    return tabs.sendMessage(id, { type: 'fillComposer', data }, { frameId: 0 });
  }, data);
}

/** The composer the user sees: text of the dialog's (or the page's) editor and the state of its Post button. */
async function composerState(page: Page, where: 'dialog' | 'inline') {
  const scope = where === 'dialog' ? page.getByRole('dialog') : page.getByTestId('primaryColumn');
  const editor = scope.getByTestId('tweetTextarea_0');
  const text = await editor.evaluate((el) =>
    [...el.querySelectorAll('[data-block="true"]')].map((b) => b.textContent).join('\n'),
  );
  const button = scope.locator('[data-testid="tweetButton"], [data-testid="tweetButtonInline"]').first();
  return { text, enabled: await button.isEnabled() };
}

test.describe('fill-composer', () => {
  test('should not be fooled: a textContent fill leaves the fixture composer unusable', async ({
    context,
  }) => {
    const page = await openX(context, '/compose/post');
    const editor = page.getByRole('dialog').getByTestId('tweetTextarea_0');
    await editor.evaluate((el, t) => (el.textContent = t), SINGLE);
    await expect(page.getByRole('dialog').getByTestId('tweetButton')).toBeDisabled();
  });

  for (const [name, text] of [
    ['a single line', SINGLE],
    ['a message on several lines', WITH_MESSAGE],
  ] as const) {
    test(`should open the compose modal and fill it with ${name}, Post enabled`, async ({ context, sw }) => {
      const page = await openX(context, '/home');
      await expectPayButtons(page, { minPosts: 3 });
      expect(await fill(sw, { text })).toEqual({ ok: true, method: 'paste' });
      await expect(page.getByRole('dialog')).toBeVisible();
      expect(await composerState(page, 'dialog')).toEqual({ text, enabled: true });
      expect(page.url()).toBe('https://x.com/compose/post');
      // The home composer under the modal was left alone, and nothing was posted.
      expect((await composerState(page, 'inline')).text).toBe('');
      expect(await page.evaluate(() => window.__x!.posted)).toEqual([]);
    });
  }

  test("should fill the reply box on the post's own page", async ({ context, sw }) => {
    const id = postId(0);
    const page = await openX(context, `/alice/status/${id}`);
    await expect(page.getByTestId('tweetTextarea_0')).toBeVisible();
    expect(await fill(sw, { text: SINGLE, replyToTweetId: id })).toEqual({ ok: true, method: 'paste' });
    expect(await composerState(page, 'inline')).toEqual({ text: SINGLE, enabled: true });
    await expect(page.getByRole('dialog')).toHaveCount(0);
    expect(await page.evaluate(() => window.__x!.posted)).toEqual([]);
  });

  test("should open the post's reply modal from the timeline", async ({ context, sw }) => {
    const page = await openX(context, '/home');
    await expectPayButtons(page, { minPosts: 3 });
    const id = postId(1);
    expect(await fill(sw, { text: WITH_MESSAGE, replyToTweetId: id })).toEqual({ ok: true, method: 'paste' });
    await expect(page.getByRole('dialog')).toHaveAttribute('data-fixture-reply-to', id);
    expect(await composerState(page, 'dialog')).toEqual({ text: WITH_MESSAGE, enabled: true });
    expect(await page.evaluate(() => window.__x!.opened)).toEqual([]);
    expect(await page.evaluate(() => window.__x!.posted)).toEqual([]);
  });

  test('should report no composer for a post that is not on screen, and refuse bad requests', async ({
    context,
    sw,
  }) => {
    const page = await openX(context, '/home');
    await expectPayButtons(page, { minPosts: 3 });
    expect(await fill(sw, { text: SINGLE, replyToTweetId: postId(250) })).toEqual({
      ok: false,
      code: 'no_composer',
    });
    await expect(page.getByRole('dialog')).toHaveCount(0);
    for (const bad of [{ text: '' }, { text: 42 }, { text: SINGLE, replyToTweetId: '12a' }, null]) {
      expect(await fill(sw, bad)).toEqual({ ok: false, code: 'invalid_request' });
    }
  });
});
