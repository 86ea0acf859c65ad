import type { BrowserContext, Page } from '@playwright/test';
import { openExtensionPage } from './extension';

/** Page object for popup.html (opened as a tab: same document as the toolbar popup). */
export class PopupPage {
  constructor(readonly page: Page) {}

  static async open(context: BrowserContext, extensionId: string): Promise<PopupPage> {
    const page = await openExtensionPage(context, extensionId, 'popup.html');
    await page.getByTestId('popup-root').waitFor();
    return new PopupPage(page);
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByTestId('signin-email').fill(email);
    await this.page.getByTestId('signin-password').fill(password);
    await this.page.getByTestId('signin-submit').click();
  }

  balance = () => this.page.getByTestId('balance');
  available = () => this.page.getByTestId('balance-available');
  held = () => this.page.getByTestId('balance-held');
  pending = () => this.page.getByTestId('pending-list');
  history = () => this.page.getByTestId('history-list');
  error = () => this.page.getByTestId('error');
}
