import { backgroundColor, expectNoSeriousA11yViolations } from './axe';
import { expect, test } from './fixtures';
import { openExtensionPage, patchSettings } from './pages/extension';

test.describe('confirm window', () => {
  test('should explain, in English or French, that a window without a request has nothing to approve', async ({
    context,
    extensionId,
  }) => {
    const page = await openExtensionPage(context, extensionId, 'confirm.html');
    await expect(page.getByTestId('error')).toHaveText(/expired or was already handled/);
    await expect(page.getByTestId('confirm-button')).toHaveCount(0);
    await patchSettings(page, { language: 'fr' });
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByTestId('error')).toHaveText(/a expiré ou a déjà été traitée/);
    await expect(page.getByTestId('cancel-button')).toHaveText('Fermer');
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`should have no serious accessibility violation in ${scheme} mode`, async ({
      context,
      extensionId,
    }) => {
      const page = await openExtensionPage(context, extensionId, 'confirm.html');
      await page.emulateMedia({ colorScheme: scheme });
      await expect(page.getByTestId('error')).toBeVisible();
      expect(await backgroundColor(page)).toBe(scheme === 'dark' ? 'rgb(0, 0, 0)' : 'rgb(247, 249, 249)');
      await expectNoSeriousA11yViolations(page);
    });
  }
});
