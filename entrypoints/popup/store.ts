/** Popup UI state (zustand): what the popup shows and the actions that change it. */
import { createStore } from 'zustand/vanilla';
import { sendMessage, type TabTarget, type WalletSummary } from '@/utils/messaging';
import { signUpFailure, type FieldError, type FormError, type SignUpField } from './signup-form';
import type { AccountRules, Payment, TopUpConfig } from '@/core/wallet-types';

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

  /** Signed out: the sign-in form or the "Open a wallet" form. */
  view: 'signIn' | 'signUp';
  setView: (view: 'signIn' | 'signUp') => void;
  /** The wallet's sign-up rules and top-up method (null until read, or when unreachable). */
  walletConfig: { accounts: AccountRules; topUps: TopUpConfig } | null;
  loadWalletConfig: () => Promise<void>;
  signingUp: boolean;
  /** Opens a wallet and signs in; on failure, where it belongs (the form keeps what was typed). */
  signUp: (input: {
    email: string;
    password: string;
    displayName: string;
  }) => Promise<{ field: SignUpField; error: FieldError } | { form: FormError } | null>;
  /** Signed in (or opened a wallet) from this popup: a confirm window that asked for it goes back at once. */
  justSignedIn: boolean;
  /** Just opened a wallet: the next steps are shown until dismissed. */
  welcome: boolean;
  dismissWelcome: () => void;
  topUpBusy: boolean;
  /** The last top-up: the Checkout page opened (card), or the amount credited (sandbox). */
  topUpDone: { kind: 'card' } | { kind: 'instant'; amountCents: number } | null;
  topUpError: string | null;
  addMoney: (amountCents: number) => Promise<boolean>;
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
            topUps: r.topUps ?? [],
          },
          error: null,
        });
      else fail(r.code, keepPhase);
    };
    /** The Idempotency-Key of the top-up being tried: a retry of the same amount reuses it (never twice). */
    let topUpKey: { amountCents: number; key: string } | null = null;
    return {
      view: 'signIn',
      setView: (view) => set({ view, error: null }),
      walletConfig: null,
      loadWalletConfig: async () => {
        const r = await send('getWalletConfig', {}).catch(() => null);
        if (r?.ok) set({ walletConfig: { accounts: r.accounts, topUps: r.topUps } });
      },
      signingUp: false,
      signUp: async (input) => {
        set({ signingUp: true, error: null });
        const r = await send('signUp', input).catch(() => ({ ok: false as const, code: 'network' }));
        set({ signingUp: false });
        if (!r.ok) return signUpFailure(r.code, 'message' in r ? r.message : undefined);
        set({ welcome: true, view: 'signIn' });
        await loadSummary(false);
        set({ justSignedIn: get().phase === 'ready' });
        return null;
      },
      justSignedIn: false,
      welcome: false,
      dismissWelcome: () => set({ welcome: false }),
      topUpBusy: false,
      topUpDone: null,
      topUpError: null,
      addMoney: async (amountCents) => {
        if (topUpKey?.amountCents !== amountCents) topUpKey = { amountCents, key: crypto.randomUUID() };
        set({ topUpBusy: true, topUpError: null, topUpDone: null });
        const r = await send('topUp', { amountCents, key: topUpKey.key }).catch(() => ({
          ok: false as const,
          code: 'network',
        }));
        set({ topUpBusy: false });
        if (!r.ok) {
          if (SIGNED_OUT.has(r.code)) fail(r.code);
          else set({ topUpError: r.code });
          return false;
        }
        topUpKey = null;
        set({ topUpDone: r.kind === 'card' ? { kind: 'card' } : { kind: 'instant', amountCents } });
        await loadSummary(true);
        return true;
      },
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
        set({ justSignedIn: get().phase === 'ready' });
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
