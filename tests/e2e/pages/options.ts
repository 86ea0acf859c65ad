import type { BrowserContext, Page } from '@playwright/test';

/** Page object for options.html. */
export class OptionsPage {
  constructor(readonly page: Page) {}

  static async open(context: BrowserContext, extensionId: string): Promise<OptionsPage> {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await page.getByTestId('options-root').waitFor();
    return new OptionsPage(page);
  }

  walletUrl = () => this.page.getByTestId('wallet-url');
  language = () => this.page.getByTestId('language');
  preset = (i: number) => this.page.getByTestId(`preset-field-${i}`);
  presetError = (i: number) => this.page.getByTestId(`preset-error-${i}`);
  status = () => this.page.getByTestId('save-status');
  save = () => this.page.getByTestId('save').click();

  /** The settings as stored in `storage.local` (read from the page, which may use the storage API). */
  async stored(): Promise<unknown> {
    return this.page.evaluate(async () => {
      type Local = { get(key: string): Promise<Record<string, unknown>> };
      const api = (globalThis as unknown as { chrome: { storage: { local: Local } } }).chrome;
      return (await api.storage.local.get('settings')).settings ?? null;
    });
  }
}
