/** Popup UI state (zustand): what the popup shows and the actions that change it. */
import { createStore } from 'zustand/vanilla';
import { sendMessage, type TabTarget, type WalletSummary } from '@/utils/messaging';
import type { Payment } from '@/core/wallet-types';

export type Phase = 'loading' | 'signedOut' | 'offline' | 'ready' | 'error';

export interface PopupState {
  phase: Phase;
  summary: WalletSummary | null;
  target: TabTarget | null;
  /** Error code of the last failed action, shown in words. */
  error: string | null;
  signingIn: boolean;
  /** Payment whose Confirm / Cancel is in flight. */
  busyId: string | null;
  load: () => Promise<void>;
  /** Re-read the summary in the background of the screen (no spinner, a failure keeps what is shown). */
  refresh: () => Promise<void>;
  signIn: (email: string, password: string) => Promise<boolean>;
  signOut: () => Promise<void>;
  confirm: (p: Payment) => Promise<void>;
  cancel: (p: Payment) => Promise<void>;
  payTab: () => Promise<boolean>;
}

/** Codes that mean "no usable session" and codes that mean "wallet unreachable". */
const SIGNED_OUT = new Set(['signed_out', 'unauthorized']);
const OFFLINE = new Set(['network']);

export function createPopupStore(send: typeof sendMessage = sendMessage) {
  return createStore<PopupState>()((set, get) => {
    /** Route a failure code to the right screen; returns the phase it chose. */
    const fail = (code: string, keepPhase = false): void => {
      if (SIGNED_OUT.has(code)) set({ phase: 'signedOut', summary: null, error: null });
      else if (OFFLINE.has(code) && !keepPhase) set({ phase: 'offline', error: code });
      else set({ error: code, ...(keepPhase ? {} : { phase: 'error' }) });
    };
    const refreshTarget = async () => {
      const r = await send('getActiveTabTarget', {}).catch(() => null);
      set({ target: r?.ok ? r.target : null });
    };
    const loadSummary = async (keepPhase: boolean) => {
      const r = await send('getSummary', {}).catch(() => ({ ok: false as const, code: 'network' }));
      if (r.ok)
        set({
          phase: 'ready',
          summary: {
            me: r.me,
            pending: r.pending,
            recent: r.recent,
            notWrittenByUs: r.notWrittenByUs,
            composerChanged: r.composerChanged,
          },
          error: null,
        });
      else fail(r.code, keepPhase);
    };
    return {
      phase: 'loading',
      summary: null,
      target: null,
      error: null,
      signingIn: false,
      busyId: null,
      load: async () => {
        if (get().phase !== 'ready') set({ phase: 'loading', error: null });
        void refreshTarget();
        const s = await send('getSession', {}).catch(() => ({ ok: false as const, code: 'network' }));
        if (!s.ok) return fail(s.code);
        if (!s.signedIn) return set({ phase: 'signedOut', summary: null });
        await loadSummary(false);
      },
      refresh: async () => {
        if (get().phase !== 'ready' || get().busyId) return;
        await loadSummary(true);
      },
      signIn: async (email, password) => {
        set({ signingIn: true, error: null });
        const r = await send('signIn', { email, password }).catch(() => ({
          ok: false as const,
          code: 'network',
        }));
        set({ signingIn: false });
        if (!r.ok) {
          // Wrong credentials come back as `unauthorized`: stay on the form and say so.
          set({ error: r.code });
          return false;
        }
        await loadSummary(false);
        return true;
      },
      signOut: async () => {
        await send('signOut', {}).catch(() => null);
        set({ phase: 'signedOut', summary: null, error: null });
      },
      confirm: async (p) => {
        set({ busyId: p.id, error: null });
        const r = await send('confirmPayment', { paymentId: p.id }).catch(() => ({
          ok: false as const,
          code: 'network',
        }));
        set({ busyId: null });
        if (!r.ok) fail(r.code, true);
        await loadSummary(true);
      },
      cancel: async (p) => {
        set({ busyId: p.id, error: null });
        const r = await send('cancelPayment', { paymentId: p.id }).catch(() => ({
          ok: false as const,
          code: 'network',
        }));
        set({ busyId: null });
        if (!r.ok) fail(r.code, true);
        await loadSummary(true);
      },
      payTab: async () => {
        set({ error: null });
        const r = await send('payActiveTab', {}).catch(() => ({ ok: false as const, code: 'network' }));
        if (!r.ok) {
          fail(r.code, true);
          return false;
        }
        return true;
      },
    };
  });
}

export type PopupStore = ReturnType<typeof createPopupStore>;
