/**
 * Host permissions for the wallet server. A match pattern never carries a port: Firefox cannot match one
 * (checked on Firefox ESR 153: with `http://127.0.0.1:8787/*` granted, a fetch to http://127.0.0.1:8787 from
 * the extension is still refused), and without a port a pattern covers every port in both browsers.
 */

import { browser } from 'wxt/browser';

/** Granted by the manifest: a wallet server on this machine, on any port (`npm start` uses 8787). */
export const LOCAL_WALLET_PATTERNS = ['http://127.0.0.1/*', 'http://localhost/*'] as const;

/** The match pattern that grants access to `origin` (`https://wallet.example.com:8443` → `https://wallet.example.com/*`). */
export function originPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/** Whether the manifest already grants `origin`, so that no permission prompt is needed. */
export function isLocalWalletOrigin(origin: string): boolean {
  return (LOCAL_WALLET_PATTERNS as readonly string[]).includes(originPattern(origin));
}

/**
 * Whether the extension may send credentials to `origin`: granted by the manifest or by the user in the options
 * page. A content script (or a compromised renderer driving one) can write the `walletUrl` setting, since
 * `storage.local` is open to content scripts, but it cannot grant a host permission.
 */
export async function isWalletOriginAllowed(origin: string): Promise<boolean> {
  if (isLocalWalletOrigin(origin)) return true;
  try {
    return await browser.permissions.contains({ origins: [originPattern(origin)] });
  } catch {
    return false;
  }
}
