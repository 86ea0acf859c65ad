import { expect, test } from './fixtures';

test.describe('extension smoke', () => {
  test('should start the service worker and render the popup', async ({ context, sw, extensionId }) => {
    expect(sw.url()).toBe(`chrome-extension://${extensionId}/background.js`);
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    await expect(page.getByTestId('popup-root')).toBeVisible();
  });
});
