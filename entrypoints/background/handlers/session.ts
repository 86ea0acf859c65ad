/**
 * Session handlers (extension pages only): `getSession`, `signIn`, `signOut`. Tokens stay in the background: pages
 * only learn whether a session exists and who is signed in.
 */
import type { MessageReply } from '../../../utils/messaging';
import type { WalletClient } from '../wallet/client';
import { reconcileIntents } from '../wallet/intents';
import { pollPayments, schedulePolling, stopPolling } from '../tracker';
import { INVALID, isEmpty, plainObject } from './validate';

export function sessionHandlers(client: WalletClient) {
  return {
    async getSession(data: unknown): Promise<MessageReply<'getSession'>> {
      if (!isEmpty(data)) return INVALID;
      if (!(await client.hasSession())) return { ok: true, signedIn: false, me: null };
      const me = await client.me();
      if (me.ok) return { ok: true, signedIn: true, me: me.value };
      if (me.code === 'signed_out') {
        await stopPolling();
        return { ok: true, signedIn: false, me: null };
      }
      return { ok: false, code: me.code };
    },

    async signIn(data: unknown): Promise<MessageReply<'signIn'>> {
      const d = plainObject(data, ['email', 'password']);
      if (!d) return INVALID;
      const { email, password } = d;
      if (typeof email !== 'string' || typeof password !== 'string') return INVALID;
      const trimmed = email.trim();
      if (!trimmed || trimmed.length > 254 || !trimmed.includes('@') || !password || password.length > 1024) {
        return INVALID;
      }
      const me = await client.login(trimmed, password);
      if (!me.ok) return { ok: false, code: me.code, ...(me.message && { message: me.message }) };
      await schedulePolling();
      // The first poll only records what exists (no notification for old payments); then unsent intents of this
      // account go out with their own keys.
      void pollPayments(client)
        .then(() => reconcileIntents(client))
        .catch(() => undefined);
      return { ok: true, me: me.value };
    },

    async signOut(data: unknown): Promise<MessageReply<'signOut'>> {
      if (!isEmpty(data)) return INVALID;
      await client.logout();
      await stopPolling();
      return { ok: true };
    },
  };
}
