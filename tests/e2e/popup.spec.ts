import net from 'node:net';
import { backgroundColor, expectNoSeriousA11yViolations } from './axe';
import { expect, handTypedTweet, test } from './pages-fixtures';
import { patchSettings } from './pages/extension';

/** A TCP proxy to the wallet that can be cut: the wallet becomes unreachable at the same URL. */
async function cuttableProxy(target: string): Promise<{ url: string; cut: () => Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

test.describe('popup with the wallet', () => {
  test('should sign in, show the balance in the locale, and sign out', async ({ popup, payer }) => {
    await popup.signIn(payer.email, 'not the password');
    await expect(popup.error()).toHaveText(/email or password/i);
    await expect(popup.balance()).toHaveCount(0);

    await popup.signIn(payer.email, payer.password);
    await expect(popup.available()).toHaveText('€1,000.00');
    await expect(popup.held()).toContainText('€0.00');
    await expect(popup.page.getByTestId('history-empty')).toBeVisible();

    await patchSettings(popup.page, { language: 'fr' });
    await popup.page.reload();
    await expect(popup.available()).toHaveText(/^1\s000,00\s€$/);

    await popup.page.getByTestId('signout').click();
    await expect(popup.page.getByTestId('signin-email')).toBeVisible();
    await popup.page.reload();
    await expect(popup.page.getByTestId('signin-email')).toBeVisible();
  });

  test('should list a hand-typed payment tweet and confirm it', async ({
    signedIn: popup,
    wallet,
    payer,
  }) => {
    await handTypedTweet(wallet, payer, '1860000000000000001', '12,50EUR');
    // The open popup refreshes by itself.
    await expect(popup.pending()).toContainText('@alice');
    await expect(popup.pending()).toContainText('€12.50');
    await expect(popup.held()).toContainText('€12.50');
    await popup
      .pending()
      .getByRole('button', { name: /^Confirm/ })
      .click();
    await expect(popup.pending()).toHaveCount(0);
    await expect(popup.available()).toHaveText('€987.50');
    const row = popup.history().locator('li').first();
    await expect(row).toContainText('@alice');
    await expect(row).toContainText('Completed');
    await expect(row.getByRole('link')).toHaveAttribute('href', /1860000000000000001$/);
  });

  test('should cancel a hand-typed payment tweet and release the funds', async ({
    signedIn: popup,
    wallet,
    payer,
  }) => {
    await handTypedTweet(wallet, payer, '1860000000000000002', '20EUR');
    await expect(popup.pending()).toContainText('€20.00');
    await popup
      .pending()
      .getByRole('button', { name: /^Cancel/ })
      .click();
    await expect(popup.pending()).toHaveCount(0);
    await expect(popup.available()).toHaveText('€1,000.00');
    await expect(popup.history().locator('li').first()).toContainText('Canceled');
  });

  test('should say when the wallet server cannot be reached', async ({ popup, wallet, payer }) => {
    const proxy = await cuttableProxy(wallet.url);
    try {
      await patchSettings(popup.page, { walletUrl: proxy.url });
      await popup.page.reload();
      await popup.signIn(payer.email, payer.password);
      await expect(popup.available()).toHaveText('€1,000.00');
      await proxy.cut();
      await popup.page.reload();
      await expect(popup.page.getByTestId('offline')).toContainText(proxy.url);
    } finally {
      await proxy.cut().catch(() => undefined);
    }
  });

  test('should have no serious accessibility violation, light or dark, signed out or in', async ({
    popup,
    wallet,
    payer,
  }) => {
    const scan = async () => {
      for (const scheme of ['light', 'dark'] as const) {
        await popup.page.emulateMedia({ colorScheme: scheme });
        expect(await backgroundColor(popup.page)).toBe(
          scheme === 'dark' ? 'rgb(0, 0, 0)' : 'rgb(247, 249, 249)',
        );
        await expectNoSeriousA11yViolations(popup.page);
      }
    };
    await expect(popup.page.getByTestId('signin-email')).toBeVisible();
    await scan();
    await popup.signIn(payer.email, payer.password);
    await handTypedTweet(wallet, payer, '1860000000000000010', '5EUR');
    await expect(popup.pending()).toBeVisible();
    await expect(popup.history()).toBeVisible();
    await scan();
  });
});
