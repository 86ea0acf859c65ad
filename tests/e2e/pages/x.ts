/**
 * Page object for the offline X pages (tests/e2e/x-pages.ts) with the extension loaded: open a page, audit the
 * Pay buttons against what the fixture expects, read the pending Pay requests the background stored.
 */
import { expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { routeX, X, type AuditRow, type XConfig } from '../x-pages';

export { X };

/** Opens `path` on the offline x.com (routing the whole context first) and waits for the fixture app. */
export async function openX(
  context: BrowserContext,
  path: string,
  config: Partial<XConfig> = {},
): Promise<Page> {
  await routeX(context, config);
  const page = await context.newPage();
  await page.goto(`${X}${path}`);
  await page.waitForFunction(() => !!window.__x);
  return page;
}

export function audit(page: Page): Promise<AuditRow[]> {
  return page.evaluate(() => window.__x!.audit());
}

/** What is wrong with the Pay buttons on screen (empty when every post has exactly what it should). */
export async function payButtonProblems(page: Page, lang: 'en' | 'fr' = 'en'): Promise<string[]> {
  const rows = await audit(page);
  const verb = lang === 'fr' ? 'Payer' : 'Pay';
  const problems: string[] = [];
  for (const r of rows) {
    if (r.expected === null) {
      if (r.hosts !== 0) problems.push(`${r.kind} post ${r.postId} has ${r.hosts} Pay button(s)`);
    } else if (r.hosts !== 1 || !r.lastInBar || r.labels[0] !== `${verb} @${r.expected}`) {
      problems.push(
        `${r.kind} post ${r.postId}: ${r.hosts} host(s) [${r.labels.join(', ')}], last=${r.lastInBar}`,
      );
    }
  }
  // Nowhere else: every tweet host sits in an article, no host in a UserCell, the sidebar or #layers.
  const stray = await page.evaluate(
    () =>
      [...document.querySelectorAll('[data-tweetez-payez="tweet"]')].filter(
        (h) => !h.closest('article[data-testid="tweet"]') || h.closest('[data-testid="UserCell"]'),
      ).length,
  );
  if (stray) problems.push(`${stray} Pay button(s) outside posts`);
  return problems;
}

/** Waits until the Pay buttons on screen are exactly as expected, and at least `minPosts` posts are checked. */
export async function expectPayButtons(page: Page, { lang = 'en' as 'en' | 'fr', minPosts = 1 } = {}) {
  await expect
    .poll(async () => {
      const problems = await payButtonProblems(page, lang);
      const rows = await audit(page);
      return rows.length >= minPosts ? problems : [`only ${rows.length} posts on screen`];
    })
    .toEqual([]);
}

export interface StoredRequest {
  id: string;
  recipientHandle: string;
  tweetId: string | null;
  source: string;
  tabId: number | null;
}

/** The pending Pay requests the background stored (session storage), oldest first. */
export async function pendingRequests(sw: Worker): Promise<StoredRequest[]> {
  const all = await sw.evaluate(async () => {
    type Area = { get(key: string): Promise<Record<string, unknown>> };
    const session = (globalThis as unknown as { chrome: { storage: { session: Area } } }).chrome.storage
      .session;
    return ((await session.get('requests')).requests ?? {}) as Record<
      string,
      StoredRequest & { createdAt: number }
    >;
  });
  return Object.values(all).sort((a, b) => a.createdAt - b.createdAt);
}

/** The Pay button (inside its shadow root) of post `postId`. */
export function payButtonOf(page: Page, postId: string) {
  return page
    .locator('article[data-testid="tweet"]', { has: page.locator(`a[href$="/status/${postId}"]`) })
    .first()
    .locator('[data-tweetez-payez="tweet"]')
    .getByRole('button');
}
