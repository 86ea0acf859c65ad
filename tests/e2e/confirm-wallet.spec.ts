import { expectNoSeriousA11yViolations } from './axe';
import { expect, test } from './pages-fixtures';
import { ConfirmPage } from './pages/confirm';
import { patchSettings } from './pages/extension';

test.describe('confirm window with the wallet', () => {
  test('should show everything about the payment and arm Confirm after a second', async ({
    context,
    sw,
    extensionId,
    signedIn,
  }) => {
    await patchSettings(signedIn.page, { defaultMode: 'tweet' });
    const confirm = await ConfirmPage.forRecipient(context, sw, extensionId, 'alice');
    await expect(confirm.byId('recipient-handle')).toHaveText('@alice');
    await expect(confirm.byId('recipient-name')).toHaveText('Alice Martin');
    await expect(confirm.byId('recipient-status')).toHaveAttribute('data-registered', 'true');
    await expect(confirm.byId('recipient-limit')).toContainText('€250.00');
    await expect(confirm.confirm()).toBeEnabled({ timeout: 3000 });
    await confirm.byId('amount-input').fill('12.50');
    await confirm.byId('message-input').fill('pour le resto');
    await expect(confirm.byId('tweet-preview')).toHaveText(
      '@SMoneyfr #envoyer 12,50EUR @alice pour le resto',
    );
    await expect(confirm.byId('tweet-length')).toHaveText('48/280');
    await expect(confirm.byId('public-notice')).toBeVisible();
    await expect(confirm.byId('fee')).toHaveText('Free');
    await expect(confirm.byId('balance-after')).toHaveText('€987.50');
    await expectNoSeriousA11yViolations(confirm.page);
    await confirm.page.emulateMedia({ colorScheme: 'dark' });
    await expectNoSeriousA11yViolations(confirm.page);
  });

  test('should keep Confirm disarmed while the window is in the background', async ({
    context,
    sw,
    extensionId,
    signedIn,
  }) => {
    const confirm = await ConfirmPage.forRecipient(context, sw, extensionId, 'alice');
    await expect(confirm.byId('recipient-handle')).toBeVisible();
    // Another window takes the focus: the page gets blur and stays disarmed.
    await confirm.page.evaluate(() => window.dispatchEvent(new Event('blur')));
    await expect(confirm.confirm()).toHaveAttribute('data-armed', 'false');
    await signedIn.page.waitForTimeout(1500);
    await expect(confirm.confirm()).toBeDisabled();
    await confirm.page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect(confirm.confirm()).toHaveAttribute('data-armed', 'true', { timeout: 3000 });
    await expect(confirm.confirm()).toBeEnabled();
  });

  test('should pay privately and show it in the popup', async ({ context, sw, extensionId, signedIn }) => {
    const confirm = await ConfirmPage.forRecipient(context, sw, extensionId, 'alice');
    await confirm.byId('preset-500').click();
    await confirm.byId('mode-private').check();
    await expect(confirm.byId('tweet-preview')).toHaveCount(0);
    await confirm.confirm().click();
    await expect(confirm.byId('private-outcome')).toContainText('€5.00');
    await expect(confirm.byId('payment-status')).toHaveAttribute('data-status', 'completed');
    await signedIn.page.reload();
    await expect(signedIn.available()).toHaveText('€995.00');
    await expect(signedIn.history().locator('li').first()).toContainText('@alice');
  });

  test('should create a tweet payment and show the exact text to post', async ({
    context,
    sw,
    extensionId,
    signedIn,
  }) => {
    const confirm = await ConfirmPage.forRecipient(context, sw, extensionId, 'alice');
    // Offline: X's pages answer with an empty page.
    await context.route('https://x.com/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>X</title>' }),
    );
    await confirm.byId('preset-1000').click();
    // No X tab behind this request: X's "new post" page opens with the server's text.
    await confirm.confirm().click();
    await expect(confirm.byId('fill-outcome')).toHaveAttribute('data-method', 'intent');
    await expect(confirm.byId('tweet-text')).toHaveText('@SMoneyfr #envoyer 10EUR @alice');
    const intentText = () =>
      context
        .pages()
        .map((p) => new URL(p.url()))
        .find((u) => u.hostname === 'x.com' && u.pathname === '/intent/post')
        ?.searchParams.get('text');
    await expect.poll(intentText).toBe('@SMoneyfr #envoyer 10EUR @alice');
    await expect(confirm.byId('payment-status')).toHaveAttribute('data-status', 'awaiting_tweet');
    await signedIn.page.reload();
    await expect(signedIn.held()).toContainText('€10.00');
  });

  test('should explain, in French, what happens when the recipient has no wallet', async ({
    context,
    sw,
    extensionId,
    signedIn,
  }) => {
    await patchSettings(signedIn.page, { language: 'fr' });
    const confirm = await ConfirmPage.forRecipient(context, sw, extensionId, 'nobody_yet');
    await expect(confirm.byId('recipient-status')).toHaveAttribute('data-registered', 'false');
    await expect(confirm.byId('recipient-unregistered')).toContainText('14 jours');
    await confirm.byId('mode-private').check();
    await confirm.byId('preset-200').click();
    await confirm.confirm().click();
    await expect(confirm.byId('payment-status')).toHaveAttribute('data-status', 'claimable');
  });

  test('should explain an amount over the limit, and the fee a business takes', async ({
    context,
    sw,
    extensionId,
    signedIn,
  }) => {
    void signedIn;
    const confirm = await ConfirmPage.forRecipient(context, sw, extensionId, 'hugo');
    await confirm.byId('preset-1000').click();
    await expect(confirm.byId('fee')).toContainText('€0.15');
    await confirm.byId('amount-input').fill('300');
    await expect(confirm.byId('amount-problem')).toContainText('€250.00');
    await expect(confirm.confirm()).toBeDisabled();
  });

  test('should cancel the request on Cancel', async ({ context, sw, extensionId, signedIn }) => {
    void signedIn;
    const confirm = await ConfirmPage.forRecipient(context, sw, extensionId, 'alice');
    await expect(confirm.byId('recipient-handle')).toBeVisible();
    const url = confirm.page.url();
    await confirm.byId('cancel-button').click();
    const again = await context.newPage();
    await again.goto(url);
    await expect(again.getByTestId('error')).toContainText('expired or was already handled');
  });
});
