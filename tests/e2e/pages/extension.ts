import type { BrowserContext, Page } from '@playwright/test';

/** Opens one of the extension's pages (`popup.html`, `confirm.html?request=…`, `options.html`). */
export async function openExtensionPage(
  context: BrowserContext,
  extensionId: string,
  path: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/${path}`);
  return page;
}

/** Changes stored settings (`local:settings`, as the options page saves them), from any extension page. */
export async function patchSettings(
  page: Page,
  patch: { walletUrl?: string; language?: 'auto' | 'fr' | 'en'; defaultMode?: 'tweet' | 'private' },
): Promise<void> {
  await page.evaluate(async (patch) => {
    type Local = {
      get(key: string): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
    };
    const local = (globalThis as unknown as { chrome: { storage: { local: Local } } }).chrome.storage.local;
    const settings = ((await local.get('settings')).settings ?? {}) as Record<string, unknown>;
    await local.set({ settings: { ...settings, ...patch } });
  }, patch);
}
