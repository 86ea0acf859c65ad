// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { byTestId } from '@/tests/helpers/render';
import type { Lang } from '@/utils/i18n';
import type { Me, Payment } from '@/core/wallet-types';
import { REFRESH_MS } from './App';
import { aMe, aPayment, POST_ID } from '@/tests/helpers/wallet-data';
import {
  fakeBackground,
  flush,
  openPopup,
  type FakeBackground,
  type Reply,
  type,
} from '@/tests/helpers/popup';

const me: Me = aMe({ displayName: 'Alice Martin', balance: { availableCents: 12_345, heldCents: 500 } });

const open = (
  bg: FakeBackground,
  lang: Lang = 'en',
  returnTo: string | null = null,
  payButtons = { posts: true, profiles: true },
) => openPopup(bg, { lang, returnTo, payButtons });

function payment(over: Partial<Payment> = {}): Payment {
  return aPayment({ payer: { handle: 'alice', displayName: 'Alice Martin' }, tweetId: POST_ID, ...over });
}

const signedIn = (over: Partial<Record<string, Reply>> = {}) => ({
  getSession: { ok: true, signedIn: true, me },
  getSummary: { ok: true, me, pending: [], recent: [] },
  getActiveTabTarget: { ok: true, target: null },
  ...over,
});

describe('popup', () => {
  afterEach(() => {
    render(null, document.body);
    document.body.innerHTML = '';
  });

  it('should show the sign-in form when signed out, and the balance once signed in', async () => {
    const bg = fakeBackground({
      getSession: { ok: true, signedIn: false, me: null },
      getActiveTabTarget: { ok: true, target: null },
      signIn: { ok: false, code: 'unauthorized' },
    });
    const { root } = await open(bg);
    expect(root.querySelector('[data-testid="balance"]')).toBeNull();
    type(byTestId(root, 'signin-email'), ' alice@example.com ');
    type(byTestId(root, 'signin-password'), 'wrong password');
    act(() => byTestId(root, 'signin-submit').click());
    await flush();
    expect(byTestId(root, 'error').textContent).toMatch(/email or password/i);
    expect(bg.calls.find((c) => c.type === 'signIn')?.data).toEqual({
      email: 'alice@example.com',
      password: 'wrong password',
    });

    bg.replies.signIn = { ok: true, me };
    bg.replies.getSummary = { ok: true, me, pending: [], recent: [] };
    act(() => byTestId(root, 'signin-submit').click());
    await flush();
    expect(byTestId(root, 'balance').textContent).toContain('€123.45');
    expect(byTestId(root, 'balance').textContent).toContain('€5.00');
    expect(byTestId(root, 'history-empty')).toBeTruthy();
  });

  it('should switch the Pay buttons on X off, and on again, signed in or not', async () => {
    const { root, setPayButtons } = await open(fakeBackground(signedIn()));
    const toggle = byTestId(root, 'pay-buttons-toggle');
    expect(toggle.getAttribute('role')).toBe('switch');
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    act(() => toggle.click());
    expect(setPayButtons).toHaveBeenCalledWith({ posts: false, profiles: false });
    render(null, document.body);

    const signedOut = fakeBackground({
      getSession: { ok: true, signedIn: false, me: null },
      getActiveTabTarget: { ok: true, target: null },
    });
    const off = await open(signedOut, 'fr', null, { posts: false, profiles: false });
    const toggleOff = byTestId(off.root, 'pay-buttons-toggle');
    expect(toggleOff.getAttribute('aria-checked')).toBe('false');
    expect(toggleOff.textContent).toContain('Désactivés');
    act(() => toggleOff.click());
    expect(off.setPayButtons).toHaveBeenCalledWith({ posts: true, profiles: true });
  });

  it('should go straight back to the payment after signing in from a confirm window that asked for it', async () => {
    const bg = fakeBackground({
      getSession: { ok: true, signedIn: false, me: null },
      getActiveTabTarget: { ok: true, target: null },
      signIn: { ok: true, me },
      getSummary: { ok: true, me, pending: [], recent: [], topUps: [] },
    });
    const { root, goBack } = await open(bg, 'en', 'req-7');
    expect(root.textContent).toContain('Sign in, then go back to the payment window.');
    type(byTestId(root, 'signin-email'), 'alice@example.com');
    type(byTestId(root, 'signin-password'), 'right password');
    act(() => byTestId(root, 'signin-submit').click());
    await flush();
    expect(goBack).toHaveBeenCalledWith('req-7');
    expect(goBack).toHaveBeenCalledTimes(1);
  });

  it('should stay on the popup after a plain sign-in', async () => {
    const bg = fakeBackground({
      getSession: { ok: true, signedIn: false, me: null },
      getActiveTabTarget: { ok: true, target: null },
      signIn: { ok: true, me },
      getSummary: { ok: true, me, pending: [], recent: [], topUps: [] },
    });
    const { root, goBack } = await open(bg);
    type(byTestId(root, 'signin-email'), 'alice@example.com');
    type(byTestId(root, 'signin-password'), 'right password');
    act(() => byTestId(root, 'signin-submit').click());
    await flush();
    expect(byTestId(root, 'balance')).toBeTruthy();
    expect(goBack).not.toHaveBeenCalled();
  });

  it('should show balances in French', async () => {
    const { root } = await open(fakeBackground(signedIn()), 'fr');
    expect(byTestId(root, 'balance').textContent?.replace(/\s/g, ' ')).toContain('123,45 €');
  });

  it('should list pending payments with Confirm and Cancel, and the history with tweet links', async () => {
    const pending = payment({ id: 'q1', status: 'awaiting_confirmation', tweetId: '1790000000000000002' });
    const bg = fakeBackground(
      signedIn({
        getSummary: {
          ok: true,
          me,
          pending: [pending],
          recent: [
            payment(),
            payment({ id: 'p2', direction: 'received', payer: { handle: 'dave', displayName: 'Dave' } }),
          ],
        },
        confirmPayment: { ok: true, payment: { ...pending, status: 'completed' } },
      }),
    );
    const { root } = await open(bg);
    const list = byTestId(root, 'pending-list');
    expect(list.textContent).toContain('@bob');
    const history = byTestId(root, 'history-list');
    expect(history.querySelectorAll('li')).toHaveLength(2);
    expect(history.querySelector('a[href="https://x.com/i/web/status/1790000000000000001"]')).toBeTruthy();
    expect(history.textContent).toContain('@dave');

    bg.replies.getSummary = { ok: true, me, pending: [], recent: [] };
    const confirm = [...list.querySelectorAll('button')].find((b) => /confirm/i.test(b.textContent ?? ''));
    act(() => confirm!.click());
    await flush();
    expect(bg.calls.find((c) => c.type === 'confirmPayment')?.data).toEqual({ paymentId: 'q1' });
    expect(root.querySelector('[data-testid="pending-list"]')).toBeNull();
  });

  it('should mark a payment to confirm that the extension did not write, and warn of a changed payment tweet', async () => {
    const typed = payment({
      id: 'q1',
      status: 'awaiting_confirmation',
      tweetText: '@SMoneyfr #envoyer 249EUR @bob',
    });
    const ours = payment({ id: 'q2', status: 'awaiting_confirmation' });
    const summary = { ok: true, me, pending: [typed, ours], recent: [], notWrittenByUs: ['q1'] };
    for (const [lang, mark, warning] of [
      [
        'en',
        'You did not make this tweet with Tweetez Payez — check the recipient.',
        'was changed before it was posted',
      ],
      ['fr', "Vous n'avez pas fait ce tweet avec Tweetez Payez — vérifiez le destinataire.", 'a été modifié'],
    ] as const) {
      const { root } = await open(
        fakeBackground(signedIn({ getSummary: { ...summary, composerChanged: true } })),
        lang,
      );
      const row = (id: string) => byTestId(root, 'pending-list').querySelector(`[data-payment-id="${id}"]`)!;
      expect(row('q1').querySelector('[data-testid="not-written-by-us"]')?.textContent).toBe(mark);
      const confirm = [...row('q1').querySelectorAll('button')][0]!;
      expect(confirm.getAttribute('aria-describedby')).toBe('unverified-q1');
      expect(row('q2').querySelector('[data-testid="not-written-by-us"]')).toBeNull();
      expect(byTestId(root, 'composer-changed').textContent).toContain(warning);
      render(null, root);
      root.remove();
    }
    const { root } = await open(
      fakeBackground(signedIn({ getSummary: { ...summary, composerChanged: false } })),
    );
    expect(root.querySelector('[data-testid="composer-changed"]')).toBeNull();
  });

  it('should offer to post the tweet a payment is waiting for (exact text, reply kept), or to cancel it', async () => {
    const waiting = payment({
      id: 'w1',
      status: 'awaiting_tweet',
      tweetId: null,
      tweetText: '@SMoneyfr #envoyer 12,50EUR @bob merci',
      replyToTweetId: '1790000000000000009',
    });
    const bg = fakeBackground(
      signedIn({
        getSummary: { ok: true, me, pending: [waiting], recent: [] },
        cancelPayment: { ok: true, payment: { ...waiting, status: 'canceled' } },
      }),
    );
    const { root } = await open(bg);
    const list = byTestId(root, 'pending-list');
    const post = byTestId(list, 'post-tweet') as HTMLAnchorElement;
    const url = new URL(post.href);
    expect(url.origin + url.pathname).toBe('https://x.com/intent/post');
    expect(url.searchParams.get('text')).toBe('@SMoneyfr #envoyer 12,50EUR @bob merci');
    expect(url.searchParams.get('in_reply_to')).toBe('1790000000000000009');
    expect(post.rel).toContain('noopener');
    // Nothing to confirm: the tweet itself is the confirmation.
    expect([...list.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Cancel']);

    bg.replies.getSummary = { ok: true, me, pending: [], recent: [] };
    act(() => list.querySelector('button')!.click());
    await flush();
    expect(bg.calls.find((c) => c.type === 'cancelPayment')?.data).toEqual({ paymentId: 'w1' });
    expect(root.querySelector('[data-testid="pending-list"]')).toBeNull();
  });

  it('should offer "Pay @handle" for the X profile in the active tab and close once the window opened', async () => {
    const bg = fakeBackground(
      signedIn({
        getActiveTabTarget: { ok: true, target: { recipientHandle: 'carol', tweetId: null } },
        payActiveTab: { ok: true, requestId: 'r9' },
      }),
    );
    const { root, close } = await open(bg);
    const pay = byTestId(root, 'pay-current-tab');
    expect(pay.textContent).toBe('Pay @carol');
    act(() => pay.click());
    await flush();
    expect(bg.calls.some((c) => c.type === 'payActiveTab')).toBe(true);
    expect(close).toHaveBeenCalled();
  });

  it('should say the wallet server is unreachable and retry', async () => {
    const bg = fakeBackground(signedIn({ getSummary: { ok: false, code: 'network' } }));
    const { root } = await open(bg);
    expect(byTestId(root, 'offline').textContent).toContain('http://127.0.0.1:8787');
    bg.replies.getSummary = { ok: true, me, pending: [], recent: [] };
    act(() => byTestId(root, 'retry').click());
    await flush();
    expect(byTestId(root, 'balance')).toBeTruthy();
  });

  it('should go back to the sign-in form when the session was revoked', async () => {
    const bg = fakeBackground(signedIn({ getSummary: { ok: false, code: 'signed_out' } }));
    const { root } = await open(bg);
    expect(byTestId(root, 'signin-email')).toBeTruthy();
  });

  it('should pick up changes while it stays open', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const bg = fakeBackground(signedIn());
      const { root } = await open(bg);
      expect(root.querySelector('[data-testid="pending-list"]')).toBeNull();
      bg.replies.getSummary = {
        ok: true,
        me: { ...me, balance: { availableCents: 11_845, heldCents: 1000 } },
        pending: [payment({ id: 'q2', status: 'awaiting_confirmation' })],
        recent: [],
      };
      act(() => void vi.advanceTimersByTime(REFRESH_MS));
      await flush();
      expect(byTestId(root, 'pending-list').textContent).toContain('@bob');
      expect(byTestId(root, 'balance-available').textContent).toBe('€118.45');
    } finally {
      vi.useRealTimers();
    }
  });

  it('should sign out', async () => {
    const bg = fakeBackground(signedIn({ signOut: { ok: true } }));
    const { root } = await open(bg);
    act(() => byTestId(root, 'signout').click());
    await flush();
    expect(bg.calls.some((c) => c.type === 'signOut')).toBe(true);
    expect(byTestId(root, 'signin-email')).toBeTruthy();
  });
});
