import type { BrowserContext, Page, Worker } from '@playwright/test';
import { openExtensionPage } from './extension';

/**
 * Page object for confirm.html. `forRecipient` puts a pending Pay request in the background's session storage
 * (what `requestPayment` from an X tab or the popup's "Pay @handle" stores), then opens the window on it.
 */
export class ConfirmPage {
  constructor(readonly page: Page) {}

  static async forRecipient(
    context: BrowserContext,
    sw: Worker,
    extensionId: string,
    recipientHandle: string,
    tweetId: string | null = null,
  ): Promise<ConfirmPage> {
    const id = `e2e-${Math.random().toString(36).slice(2)}`;
    await sw.evaluate(
      async ({ id, recipientHandle, tweetId }) => {
        type Session = {
          get(key: string): Promise<Record<string, unknown>>;
          set(items: Record<string, unknown>): Promise<void>;
        };
        const session = (globalThis as unknown as { chrome: { storage: { session: Session } } }).chrome
          .storage.session;
        const requests = ((await session.get('requests')).requests ?? {}) as Record<string, unknown>;
        const source = tweetId ? 'tweet' : 'profile';
        requests[id] = { id, recipientHandle, tweetId, source, tabId: null, createdAt: Date.now() };
        await session.set({ requests });
      },
      { id, recipientHandle, tweetId },
    );
    const page = await openExtensionPage(context, extensionId, `confirm.html?request=${id}`);
    return new ConfirmPage(page);
  }

  byId = (id: string) => this.page.getByTestId(id);
  confirm = () => this.page.getByTestId('confirm-button');
}
