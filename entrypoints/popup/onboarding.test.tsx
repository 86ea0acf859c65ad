// @vitest-environment happy-dom
/** The popup for a first-time user: opening a wallet, the next steps, adding money, the top-ups in history. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { byTestId } from '@/tests/helpers/render';
import type { Me, TopUp } from '@/core/wallet-types';
import {
  fakeBackground,
  flush,
  openPopup,
  type FakeBackground,
  type Reply,
  type,
} from '@/tests/helpers/popup';

const me: Me = {
  id: 'a9',
  email: 'nora@example.com',
  displayName: 'Nora',
  kind: 'person',
  xHandle: null,
  xUserId: null,
  balance: { availableCents: 0, heldCents: 0 },
  currency: 'EUR',
};
const config = {
  ok: true,
  accounts: { passwordMinLength: 12, passwordMaxLength: 200, displayNameMaxLength: 80 },
  topUps: { method: 'card', minCents: 500, maxCents: 50_000 },
};
const topUp = (status: TopUp['status']): TopUp => ({
  id: 'tu_1',
  amountCents: 2000,
  currency: 'EUR',
  status,
  refundedCents: 0,
  createdAt: '2026-11-30T10:00:00.000Z',
  updatedAt: '2026-11-30T10:00:00.000Z',
});

function fill(root: HTMLElement, over: Partial<Record<'email' | 'name' | 'password', string>> = {}) {
  type(byTestId(root, 'signup-email'), over.email ?? 'nora@example.com');
  type(byTestId(root, 'signup-name'), over.name ?? 'Nora');
  type(byTestId(root, 'signup-password'), over.password ?? 'a long passphrase');
}

const open = (bg: FakeBackground, lang: 'en' | 'fr' = 'en') =>
  openPopup(bg, { lang, walletUrl: 'https://wallet.example.com' });

const signedOut = () =>
  fakeBackground({
    getSession: { ok: true, signedIn: false, me: null },
    getActiveTabTarget: { ok: true, target: null },
    getWalletConfig: config,
  });

describe('popup: opening a wallet', () => {
  afterEach(() => {
    render(null, document.body);
    document.body.innerHTML = '';
  });

  it('should show the server’s password rules before sending, and name each wrong field', async () => {
    const bg = signedOut();
    const { root } = await open(bg);
    act(() => byTestId(root, 'signup-link').click());
    await flush();
    expect(byTestId(root, 'signup-password-rules').textContent).toBe(
      'At least 12 characters, not your e-mail address.',
    );
    fill(root, { email: 'nora@', password: 'short' });
    act(() => byTestId(root, 'signup-submit').click());
    await flush();
    expect(byTestId(root, 'signup-email-error').textContent).toMatch(/valid e-mail/);
    expect(byTestId(root, 'signup-password-error').textContent).toBe('Too short: at least 12 characters.');
    expect(byTestId(root, 'signup-terms-error').textContent).toMatch(/Accept the terms/);
    expect(byTestId(root, 'signup-password').getAttribute('aria-invalid')).toBe('true');
    expect(bg.calls.some((c) => c.type === 'signUp')).toBe(false);
  });

  it('should keep everything typed when the wallet is unreachable, then say when the e-mail is taken', async () => {
    const bg = signedOut();
    bg.replies.signUp = { ok: false, code: 'network' };
    const { root } = await open(bg);
    act(() => byTestId(root, 'signup-link').click());
    await flush();
    fill(root);
    act(() => byTestId(root, 'signup-terms').click());
    act(() => byTestId(root, 'signup-submit').click());
    await flush();
    expect(byTestId(root, 'error').textContent).toContain(
      'Cannot reach the wallet server (https://wallet.example.com)',
    );
    expect((byTestId(root, 'signup-email') as HTMLInputElement).value).toBe('nora@example.com');
    expect((byTestId(root, 'signup-name') as HTMLInputElement).value).toBe('Nora');
    expect((byTestId(root, 'signup-password') as HTMLInputElement).value).toBe('a long passphrase');
    expect((byTestId(root, 'signup-terms') as HTMLInputElement).checked).toBe(true);

    bg.replies.signUp = { ok: false, code: 'conflict' };
    act(() => byTestId(root, 'signup-submit').click());
    await flush();
    expect(byTestId(root, 'signup-email-error').textContent).toMatch(/already uses this e-mail/);
    expect(bg.calls.filter((c) => c.type === 'signUp').map((c) => c.data)).toEqual([
      { email: 'nora@example.com', displayName: 'Nora', password: 'a long passphrase' },
      { email: 'nora@example.com', displayName: 'Nora', password: 'a long passphrase' },
    ]);
  });

  it('should sign in once the wallet is open and show the next steps: link X, add money', async () => {
    const bg = signedOut();
    bg.replies.signUp = { ok: true, me };
    bg.replies.getSummary = { ok: true, me, pending: [], recent: [], topUps: [] };
    const { root } = await open(bg, 'fr');
    act(() => byTestId(root, 'signup-link').click());
    await flush();
    fill(root);
    act(() => byTestId(root, 'signup-terms').click());
    act(() => byTestId(root, 'signup-submit').click());
    await flush();
    const steps = byTestId(root, 'next-steps');
    expect(steps.querySelector('[data-step="link-x"]')?.textContent).toMatch(/Reliez votre compte X/);
    expect(steps.querySelector('[data-step="add-money"]')?.textContent).toMatch(/Ajoutez de l’argent/);
    expect(byTestId(root, 'topup-amount')).toBeTruthy();
  });
});

describe('popup: adding money', () => {
  afterEach(() => {
    render(null, document.body);
    document.body.innerHTML = '';
  });

  const signedIn = (extra: Record<string, Reply> = {}) =>
    fakeBackground({
      getSession: { ok: true, signedIn: true, me },
      getSummary: { ok: true, me, pending: [], recent: [], topUps: [] },
      getActiveTabTarget: { ok: true, target: null },
      getWalletConfig: config,
      ...extra,
    });

  it('should check the amount against the wallet’s bounds, then open the card page and list the top-up pending', async () => {
    const bg = signedIn({ topUp: { ok: true, kind: 'card', topUp: topUp('pending') } });
    const { root } = await open(bg);
    type(byTestId(root, 'topup-amount'), '2');
    act(() => byTestId(root, 'topup-submit').click());
    await flush();
    expect(byTestId(root, 'topup-amount-error').textContent).toBe('Between €5.00 and €500.00.');
    expect(bg.calls.some((c) => c.type === 'topUp')).toBe(false);

    bg.replies.getSummary = { ok: true, me, pending: [], recent: [], topUps: [topUp('pending')] };
    type(byTestId(root, 'topup-amount'), '20');
    act(() => byTestId(root, 'topup-submit').click());
    await flush();
    const sent = bg.calls.find((c) => c.type === 'topUp')?.data as { amountCents: number; key: string };
    expect(sent.amountCents).toBe(2000);
    expect(sent.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(byTestId(root, 'topup-status').textContent).toMatch(/Stripe’s payment page opened/);
    const item = byTestId(root, 'topup-list').querySelector('[data-topup-id="tu_1"]')!;
    expect(item.getAttribute('data-status')).toBe('pending');
    expect(item.textContent).toContain('Pending');
  });

  it('should retry a failed top-up with the same key, and a new amount with a new key', async () => {
    const bg = signedIn({ topUp: { ok: false, code: 'network' } });
    const { root } = await open(bg);
    type(byTestId(root, 'topup-amount'), '20');
    act(() => byTestId(root, 'topup-submit').click());
    await flush();
    expect(byTestId(root, 'topup-error').textContent).toMatch(/Cannot reach/);
    type(byTestId(root, 'topup-amount'), '20');
    act(() => byTestId(root, 'topup-submit').click());
    await flush();
    type(byTestId(root, 'topup-amount'), '30');
    act(() => byTestId(root, 'topup-submit').click());
    await flush();
    const keys = bg.calls.filter((c) => c.type === 'topUp').map((c) => (c.data as { key: string }).key);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('should say when the wallet takes no top-ups', async () => {
    const bg = signedIn({
      getWalletConfig: { ...config, topUps: { method: 'none', minCents: 0, maxCents: 0 } },
    });
    const { root } = await open(bg);
    expect(byTestId(root, 'topup-unavailable').textContent).toContain(
      'Adding money is not available on this wallet.',
    );
    expect(root.querySelector('[data-testid="topup-amount"]')).toBeNull();
  });
});
