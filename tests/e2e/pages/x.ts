/**
 * Page object for the offline X pages (tests/e2e/x-pages.ts) with the extension loaded: open a page, audit the
 * Pay buttons against what the fixture expects, read the pending Pay requests the background stored.
 */
import { expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { routeX, X, type AuditRow, type XBackend, type XConfig } from '../x-pages';

export { X };

/** A Pay host's button as the user and assistive technology get it (read through its closed shadow root). */
export interface PayButtonInfo {
  variant: string;
  label: string | null;
  title: string | null;
  /** Its computed text colour. */
  color: string;
  /** It has the focus (the shadow root's active element). */
  focused: boolean;
}

interface CdpNode {
  backendNodeId: number;
  nodeName: string;
  attributes?: string[];
  children?: CdpNode[];
  shadowRoots?: CdpNode[];
}

function attr(node: CdpNode, name: string): string | null {
  const a = node.attributes ?? [];
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1] ?? '';
  return null;
}

function findButton(node: CdpNode): CdpNode | null {
  if (node.nodeName === 'BUTTON') return node;
  for (const child of node.children ?? []) {
    const found = findButton(child);
    if (found) return found;
  }
  return null;
}

/**
 * Every `[data-tweetez-payez]` host of the page, in document order (as `querySelectorAll` lists them), with its
 * button. The shadow roots are closed, so neither the page nor Playwright's locators can see inside: this reads
 * them the way DevTools does (CDP, `pierce`), from outside the page. `label` is null for a host without one of
 * our buttons (a look-alike the page forged).
 */
export async function payButtons(page: Page): Promise<(PayButtonInfo | null)[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: CdpNode };
    const hosts: { variant: string; button: CdpNode | null }[] = [];
    const walk = (node: CdpNode) => {
      const variant = attr(node, 'data-tweetez-payez');
      if (variant !== null) {
        const shadow = node.shadowRoots?.[0];
        hosts.push({ variant, button: shadow ? findButton(shadow) : null });
      }
      for (const child of node.children ?? []) walk(child); // light DOM only, like querySelectorAll
    };
    walk(root);
    return await Promise.all(
      hosts.map(async ({ variant, button }) => {
        if (!button) return null;
        const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: button.backendNodeId });
        const { result } = await cdp.send('Runtime.callFunctionOn', {
          objectId: object.objectId!,
          returnByValue: true,
          functionDeclaration: `function () {
            return {
              label: this.getAttribute('aria-label'),
              title: this.getAttribute('title'),
              color: getComputedStyle(this).color,
              focused: this.getRootNode().activeElement === this,
            };
          }`,
        });
        return { variant, ...(result.value as Omit<PayButtonInfo, 'variant'>) };
      }),
    );
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Opens `path` on the offline x.com (routing the whole context first) and waits for the fixture app. */
export async function openX(
  context: BrowserContext,
  path: string,
  config: Partial<XConfig> = {},
  backend?: XBackend,
): Promise<Page> {
  await routeX(context, config, backend);
  const page = await context.newPage();
  await page.goto(`${X}${path}`);
  await page.waitForFunction(() => !!window.__x);
  return page;
}

/** An audit row with the accessible names of its hosts' buttons ('?' for a host without our button). */
export type AuditRowWithLabels = AuditRow & { labels: string[] };

/** `__x.audit()`, with each post's button labels read from outside the page (`payButtons`). */
export async function audit(page: Page): Promise<AuditRowWithLabels[]> {
  // The page may change between the reads (infinite loading): read again until they describe one DOM.
  for (let attempt = 0; ; attempt++) {
    const rows = await page.evaluate(() => window.__x!.audit());
    const buttons = await payButtons(page);
    const total = await page.evaluate(() => document.querySelectorAll('[data-tweetez-payez]').length);
    if (total === buttons.length) {
      return rows.map((r) => ({ ...r, labels: r.hostIndexes.map((i) => buttons[i]?.label ?? '?') }));
    }
    if (attempt === 20)
      throw new Error(`Pay hosts: ${total} in the page, ${buttons.length} read through CDP`);
  }
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

/**
 * The Pay host of post `postId`. Its button fills it (a click at its centre is a click on the button), and its
 * closed shadow root keeps the button itself out of reach of locators: read it with `payButtons`.
 */
export function payButtonOf(page: Page, postId: string) {
  return page
    .locator('article[data-testid="tweet"]', { has: page.locator(`a[href$="/status/${postId}"]`) })
    .first()
    .locator('[data-tweetez-payez="tweet"]');
}

/** The button of the first host matching `selector` (read from outside the page). */
export async function payButtonInfo(page: Page, selector: string): Promise<PayButtonInfo | null> {
  const index = await page.evaluate(
    (sel) => [...document.querySelectorAll('[data-tweetez-payez]')].indexOf(document.querySelector(sel)!),
    selector,
  );
  return index < 0 ? null : ((await payButtons(page))[index] ?? null);
}

/**
 * The text inside the closed shadow root of the first element matching `selector` (read from outside the page,
 * like `payButtons`), or null when there is none.
 */
export async function closedShadowText(page: Page, selector: string): Promise<string | null> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: 0 })) as {
      root: CdpNode & { nodeId: number };
    };
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) return null;
    const { node } = (await cdp.send('DOM.describeNode', { nodeId, depth: 1, pierce: true })) as {
      node: CdpNode;
    };
    const shadow = node.shadowRoots?.[0];
    if (!shadow) return null;
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: shadow.backendNodeId });
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId!,
      returnByValue: true,
      functionDeclaration: 'function () { return this.textContent; }',
    });
    return (result.value as string | null) ?? null;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
