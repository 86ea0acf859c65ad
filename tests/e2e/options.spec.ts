import { backgroundColor, expectNoSeriousA11yViolations } from './axe';
import { expect, test } from './fixtures';
import { OptionsPage } from './pages/options';

test.describe('options page', () => {
  test('should show field errors and save nothing when the form is invalid', async ({
    context,
    extensionId,
  }) => {
    const options = await OptionsPage.open(context, extensionId);
    await expect(options.walletUrl()).toHaveValue('http://127.0.0.1:8787');
    await options.walletUrl().fill('ftp://wallet.example.com');
    await options.preset(1).fill('5,555');
    await options.preset(2).fill('2');
    await options.save();
    await expect(options.page.getByTestId('wallet-url-error')).toBeVisible();
    await expect(options.walletUrl()).toHaveAttribute('aria-invalid', 'true');
    await expect(options.presetError(1)).toBeVisible();
    await expect(options.presetError(2)).toHaveText(/already in the list/);
    await expect(options.status()).toHaveText(/Fix the fields/);
    expect(await options.stored()).toBeNull();
  });

  test('should save valid settings and show them again after a reload', async ({ context, extensionId }) => {
    const options = await OptionsPage.open(context, extensionId);
    await options.walletUrl().fill('http://localhost:8787/');
    await options.page.getByTestId('default-mode-private').check();
    await options.preset(3).fill('12.50');
    await options.save();
    await expect(options.status()).toHaveText('Settings saved.');
    expect(await options.stored()).toEqual({
      walletUrl: 'http://localhost:8787',
      language: 'auto',
      defaultMode: 'private',
      presets: [200, 500, 1000, 1250],
    });
    await options.page.reload();
    await expect(options.walletUrl()).toHaveValue('http://localhost:8787');
    await expect(options.page.getByTestId('default-mode-private')).toBeChecked();
    await expect(options.preset(3)).toHaveValue('12.50');
  });

  test('should switch the whole page to French and parse amounts the French way', async ({
    context,
    extensionId,
  }) => {
    const options = await OptionsPage.open(context, extensionId);
    await options.language().selectOption('fr');
    await options.save();
    await expect(options.page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(options.page.getByRole('heading', { level: 1 })).toHaveAccessibleName(
      'Réglages de Tweetez Payez',
    );
    await expect(options.status()).toHaveText('Réglages enregistrés.');
    await options.preset(0).fill('3,50');
    await options.save();
    await expect(options.status()).toHaveText('Réglages enregistrés.');
    expect(await options.stored()).toMatchObject({ language: 'fr', presets: [350, 500, 1000, 2000] });
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`should have no serious accessibility violation in ${scheme} mode`, async ({
      context,
      extensionId,
    }) => {
      const options = await OptionsPage.open(context, extensionId);
      await options.page.emulateMedia({ colorScheme: scheme });
      expect(await backgroundColor(options.page)).toBe(
        scheme === 'dark' ? 'rgb(0, 0, 0)' : 'rgb(247, 249, 249)',
      );
      await expectNoSeriousA11yViolations(options.page);
      // With the errors shown too.
      await options.walletUrl().fill('nope');
      await options.save();
      await expect(options.page.getByTestId('wallet-url-error')).toBeVisible();
      await expectNoSeriousA11yViolations(options.page);
    });
  }
});
