/**
 * Opening a wallet and adding money (extension pages only): `getWalletConfig` (the sign-up rules and how this
 * wallet takes money, shown before anything is sent), `signUp` (then signed in, as `signIn`), `topUp` (a card
 * top-up opens Stripe's Checkout page in a new tab; the sandbox credits at once).
 */
import { browser } from 'wxt/browser';
import type { MessageReply } from '../../../utils/messaging';
import { ACCOUNT_RULES } from '../../../core/rules';
import type { WalletClient } from '../wallet/client';
import { failure } from './payments';
import { afterSignIn } from './session';
import { INVALID, isEmpty, plainObject } from './validate';

const KEY_RE = /^[A-Za-z0-9_-]{8,100}$/;

/** A page the wallet may send the user to for paying: https, or http on this computer (a local stand-in). */
export function isCheckoutUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost'))
  );
}

export function onboardingHandlers(
  client: WalletClient,
  openTab: (url: string) => Promise<unknown> = (url) => browser.tabs.create({ url }),
) {
  return {
    async getWalletConfig(data: unknown): Promise<MessageReply<'getWalletConfig'>> {
      if (!isEmpty(data)) return INVALID;
      const r = await client.config();
      if (!r.ok) return failure(r);
      return {
        ok: true,
        accounts: r.value.accounts ?? { ...ACCOUNT_RULES },
        topUps: r.value.topUps ?? { method: 'none', minCents: 0, maxCents: 0 },
      };
    },

    async signUp(data: unknown): Promise<MessageReply<'signUp'>> {
      const d = plainObject(data, ['email', 'password', 'displayName']);
      if (!d) return INVALID;
      const { email, password, displayName } = d;
      if (typeof email !== 'string' || typeof password !== 'string' || typeof displayName !== 'string')
        return INVALID;
      const trimmed = email.trim();
      const name = displayName.trim();
      if (!trimmed || trimmed.length > 254 || !trimmed.includes('@') || !password || password.length > 1024)
        return INVALID;
      if (!name || name.length > 200) return INVALID;
      const me = await client.signUp({ email: trimmed, password, displayName: name });
      if (!me.ok) return failure(me);
      // Signed in: the same start as a sign-in (polling, unsent intents of this account).
      await afterSignIn(client);
      return { ok: true, me: me.value };
    },

    async topUp(data: unknown): Promise<MessageReply<'topUp'>> {
      const d = plainObject(data, ['amountCents', 'key']);
      if (!d || typeof d.key !== 'string' || !KEY_RE.test(d.key)) return INVALID;
      const amount = d.amountCents;
      if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1) return INVALID;
      const r = await client.topUp(amount, d.key);
      if (!r.ok) return failure(r);
      if (r.value.kind === 'instant') return { ok: true, kind: 'instant', me: r.value.me };
      const { checkout } = r.value;
      if (!isCheckoutUrl(checkout.checkoutUrl)) return { ok: false, code: 'internal' };
      await openTab(checkout.checkoutUrl);
      return { ok: true, kind: 'card', topUp: checkout.topUp };
    },
  };
}
