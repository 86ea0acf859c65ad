/**
 * Fixtures for the extension pages' tests with a real wallet: ONE wallet server per Playwright worker (starting one
 * costs seconds), and a fresh payer account per test so tests never see each other's payments. The demo accounts
 * (alice, hugo the business, chloe_fr the association…) are the recipients.
 */
import { expect } from '@playwright/test';
import { readSeedFile } from '../../server/seed';
import { test as base } from './fixtures';
import { patchSettings } from './pages/extension';
import { PopupPage } from './pages/popup';
import { DEMO_PASSWORD, DEMO_SEED, startTestWallet, type TestWallet } from './wallet-server';

/** Payers created in the seed (each test takes the next one). */
const PAYERS = 16;
/** Every payer starts with 1 000 €. */
export const PAYER_BALANCE_CENTS = 100_000;

export interface Payer {
  email: string;
  password: string;
  handle: string;
  xUserId: string;
}

const payer = (n: number): Payer => ({
  email: `payer${n}@e2e.test`,
  password: DEMO_PASSWORD,
  handle: `tp_payer${n}`,
  xUserId: String(900_000_000_000_001_000n + BigInt(n)),
});

function seed() {
  const demo = readSeedFile(DEMO_SEED);
  const payers = Array.from({ length: PAYERS }, (_, i) => {
    const p = payer(i);
    return {
      email: p.email,
      password: p.password,
      displayName: `Payer ${i}`,
      kind: 'person' as const,
      xHandle: p.handle,
      xUserId: p.xUserId,
      balanceCents: PAYER_BALANCE_CENTS,
    };
  });
  return { accounts: [...demo.accounts, ...payers] };
}

let nextPayer = 0;

export const test = base.extend<
  { payer: Payer; popup: PopupPage; signedIn: PopupPage },
  { wallet: TestWallet }
>({
  wallet: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies by destructuring
    async ({}, use) => {
      const wallet = await startTestWallet({ seed: seed() });
      await use(wallet);
      await wallet.close();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies by destructuring
  payer: async ({}, use) => {
    if (nextPayer >= PAYERS) throw new Error('out of seeded payers: raise PAYERS');
    await use(payer(nextPayer++));
  },
  /** The popup, with the extension pointed at the test wallet, signed out. */
  popup: async ({ context, extensionId, wallet }, use) => {
    const popup = await PopupPage.open(context, extensionId);
    await patchSettings(popup.page, { walletUrl: wallet.url });
    await popup.page.reload();
    await use(popup);
  },
  /** The popup signed in as this test's payer. */
  signedIn: async ({ popup, payer }, use) => {
    await popup.signIn(payer.email, payer.password);
    await expect(popup.available()).toBeVisible();
    await use(popup);
  },
});

export { expect };

/** A payment tweet typed by hand by the payer, delivered to the wallet's webhook as X would. */
export async function handTypedTweet(
  wallet: TestWallet,
  payer: Payer,
  tweetId: string,
  amountText: string,
  recipient: { handle: string; userId: string } = { handle: 'alice', userId: '100000000000000001' },
): Promise<void> {
  await wallet.deliverTweet({
    tweetId,
    text: `@SMoneyfr #envoyer ${amountText} @${recipient.handle}`,
    userId: payer.xUserId,
    handle: payer.handle,
    mentions: [{ handle: 'SMoneyfr', userId: '100000000000000009' }, recipient],
  });
}
