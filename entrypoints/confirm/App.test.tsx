// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { byTestId, mount } from '@/tests/helpers/render';
import type { Lang } from '@/utils/i18n';
import { tweetReasonText } from '@/utils/i18n';
import type { ConfirmContext, sendMessage } from '@/utils/messaging';
import { parseAmount } from '@/core/money';
import { formatPaymentTweet } from '@/core/payment-tweet';
import { checkPayment } from '@/core/rules';
import type { Payment, Recipient } from '@/core/wallet-types';
import { App, ARM_DELAY_MS } from './App';
import { aConfirmContext, aPayment, POST_ID } from '@/tests/helpers/wallet-data';

type Send = typeof sendMessage;
type Reply = { ok: boolean } & Record<string, unknown>;

function context(recipient: Partial<Recipient> = {}, availableCents = 10_000): ConfirmContext {
  return aConfirmContext({ recipient, me: { balance: { availableCents, heldCents: 0 } } });
}

function payment(over: Partial<Payment> = {}): Payment {
  return aPayment({
    recipient: { handle: 'bob', displayName: 'Bob Dupont', registered: true },
    amountCents: 200,
    status: 'awaiting_tweet',
    tweetText: '@SMoneyfr #envoyer 2EUR @bob',
    replyToTweetId: POST_ID,
    ...over,
  });
}

/** A fake background: answers by message type, records every call. */
function fakeSend(replies: Record<string, Reply | ((data: unknown) => Reply)>) {
  const calls: { type: string; data: unknown }[] = [];
  const send = vi.fn(async (type: string, data: unknown) => {
    calls.push({ type, data });
    const r = replies[type];
    return typeof r === 'function' ? r(data) : (r ?? { ok: false, code: 'invalid_request' });
  });
  return { send: send as unknown as Send, calls };
}

async function flush() {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

async function open(
  send: Send,
  lang: Lang = 'en',
  over: { presets?: number[]; mode?: 'tweet' | 'private' } = {},
) {
  const close = vi.fn();
  const goSignIn = vi.fn();
  const root = mount(
    <App
      requestId="r1"
      send={send}
      presets={over.presets ?? [200, 500, 1000, 2000]}
      defaultMode={over.mode ?? 'tweet'}
      deps={{ formatTweet: formatPaymentTweet, check: checkPayment }}
      parseAmount={(text) => parseAmount(text, lang)}
      tweetReason={tweetReasonText}
      close={close}
      goSignIn={goSignIn}
    />,
    lang,
  );
  await flush();
  return { root, close, goSignIn };
}

function type(input: HTMLElement, value: string) {
  act(() => {
    (input as HTMLInputElement).value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const confirmButton = (root: HTMLElement) => byTestId(root, 'confirm-button') as HTMLButtonElement;

describe('confirm window', () => {
  let focused: boolean;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    focused = true;
    vi.spyOn(document, 'hasFocus').mockImplementation(() => focused);
  });
  afterEach(() => {
    render(null, document.body);
    document.body.innerHTML = '';
    vi.useRealTimers();
  });

  it('should show the recipient, presets, fee, the exact tweet, its length, the public notice and the balance after', async () => {
    const { send } = fakeSend({ getConfirmContext: { ok: true, ...context() } });
    const { root } = await open(send);
    expect(byTestId(root, 'recipient-handle').textContent).toBe('@bob');
    expect(byTestId(root, 'recipient-name').textContent).toBe('Bob Dupont');
    expect(byTestId(root, 'recipient-status').dataset.registered).toBe('true');
    expect(byTestId(root, 'recipient-kind').textContent).toBe('Person');
    expect(byTestId(root, 'recipient-limit').textContent).toContain('€250.00');
    for (const cents of [200, 500, 1000, 2000]) expect(byTestId(root, `preset-${cents}`)).toBeTruthy();
    expect(byTestId(root, 'preset-200').getAttribute('aria-pressed')).toBe('true');
    expect(byTestId(root, 'tweet-preview').textContent).toBe('@SMoneyfr #envoyer 2EUR @bob');
    expect(byTestId(root, 'tweet-length').textContent).toBe('28/280');
    expect(byTestId(root, 'public-notice').textContent).toContain('This tweet is public');
    expect(byTestId(root, 'fee').textContent).toBe('Free');
    expect(byTestId(root, 'balance-after').textContent).toBe('€98.00');
    expect((byTestId(root, 'mode-tweet') as HTMLInputElement).checked).toBe(true);
  });

  it('should parse a custom amount the French way and update the tweet with the message', async () => {
    const { send } = fakeSend({ getConfirmContext: { ok: true, ...context() } });
    const { root } = await open(send, 'fr');
    type(byTestId(root, 'amount-input'), '12,50');
    type(byTestId(root, 'message-input'), 'pour le resto');
    expect(byTestId(root, 'tweet-preview').textContent).toBe(
      '@SMoneyfr #envoyer 12,50EUR @bob pour le resto',
    );
    expect(byTestId(root, 'tweet-length').textContent).toBe(
      `${'@SMoneyfr #envoyer 12,50EUR @bob pour le resto'.length}/280`,
    );
    expect(byTestId(root, 'balance-after').textContent?.replace(/\s/g, ' ')).toBe('87,50 €');
    expect(byTestId(root, 'public-notice').textContent).toContain('public');
  });

  it('should arm Confirm only after the window has had focus for about a second', async () => {
    focused = false;
    const { send } = fakeSend({ getConfirmContext: { ok: true, ...context() } });
    const { root } = await open(send);
    expect(confirmButton(root).disabled).toBe(true);
    act(() => void vi.advanceTimersByTime(5000));
    expect(confirmButton(root).disabled).toBe(true);
    focused = true;
    act(() => void window.dispatchEvent(new Event('focus')));
    act(() => void vi.advanceTimersByTime(ARM_DELAY_MS - 1));
    expect(confirmButton(root).disabled).toBe(true);
    act(() => void vi.advanceTimersByTime(1));
    expect(confirmButton(root).disabled).toBe(false);
    expect(confirmButton(root).dataset.armed).toBe('true');
  });

  it('should create the payment with the chosen amount, message and mode, then show the outcome', async () => {
    const { send, calls } = fakeSend({
      getConfirmContext: { ok: true, ...context() },
      createPayment: {
        ok: true,
        payment: payment({ mode: 'private', status: 'completed', amountCents: 500 }),
        fill: null,
      },
    });
    const { root } = await open(send);
    act(() => byTestId(root, 'preset-500').click());
    act(() => byTestId(root, 'mode-private').click());
    type(byTestId(root, 'message-input'), '  merci  ');
    expect(root.querySelector('[data-testid="tweet-preview"]')).toBeNull();
    act(() => void vi.advanceTimersByTime(ARM_DELAY_MS));
    act(() => confirmButton(root).click());
    await flush();
    expect(calls.find((c) => c.type === 'createPayment')?.data).toEqual({
      requestId: 'r1',
      amountCents: 500,
      mode: 'private',
      message: 'merci',
    });
    expect(byTestId(root, 'private-outcome').textContent).toContain('€5.00');
    expect(byTestId(root, 'payment-status').dataset.status).toBe('completed');
    // Settled: closing the window now cancels nothing.
    window.dispatchEvent(new Event('pagehide'));
    expect(calls.filter((c) => c.type === 'cancelRequest')).toEqual([]);
  });

  it('should show the exact tweet text of the wallet once X opened the composer', async () => {
    const { send } = fakeSend({
      getConfirmContext: { ok: true, ...context() },
      createPayment: { ok: true, payment: payment(), fill: { ok: true, method: 'paste' } },
    });
    const { root } = await open(send);
    act(() => void vi.advanceTimersByTime(ARM_DELAY_MS));
    act(() => confirmButton(root).click());
    await flush();
    expect(byTestId(root, 'fill-outcome').dataset.method).toBe('paste');
    expect(byTestId(root, 'tweet-text').textContent).toBe('@SMoneyfr #envoyer 2EUR @bob');
    expect(byTestId(root, 'payment-status').dataset.status).toBe('awaiting_tweet');
  });

  it('should explain an amount over the limit and keep Confirm disabled', async () => {
    const { send } = fakeSend({
      getConfirmContext: { ok: true, ...context({ limitCents: 25_000 }, 100_000) },
    });
    const { root } = await open(send);
    type(byTestId(root, 'amount-input'), '250.01');
    act(() => void vi.advanceTimersByTime(ARM_DELAY_MS));
    expect(byTestId(root, 'amount-problem').textContent).toContain('at most €250.00');
    expect(confirmButton(root).disabled).toBe(true);
  });

  it('should say what happens to the money when the recipient has no wallet', async () => {
    const { send } = fakeSend({
      getConfirmContext: { ok: true, ...context({ registered: false, displayName: undefined }) },
    });
    const { root } = await open(send, 'fr');
    expect(byTestId(root, 'recipient-status').dataset.registered).toBe('false');
    const explain = byTestId(root, 'recipient-unregistered').textContent ?? '';
    expect(explain).toContain('14');
    expect(explain).toContain('@bob');
  });

  it('should show the fee a business takes and what it receives', async () => {
    const { send } = fakeSend({
      getConfirmContext: { ok: true, ...context({ kind: 'business', feeBps: 150 }) },
    });
    const { root } = await open(send);
    act(() => byTestId(root, 'preset-1000').click());
    const fee = byTestId(root, 'fee').textContent ?? '';
    expect(fee).toContain('€0.15');
    expect(fee).toContain('€9.85');
    expect(fee).toContain('1.5%');
  });

  for (const [lang, words] of [
    ['en', 'Insufficient funds'],
    ['fr', 'Solde insuffisant'],
  ] as const) {
    it(`should show a server refusal in words (${lang}) and let the user try again`, async () => {
      const { send, calls } = fakeSend({
        getConfirmContext: { ok: true, ...context() },
        createPayment: { ok: false, code: 'insufficient_funds' },
      });
      const { root } = await open(send, lang);
      act(() => void vi.advanceTimersByTime(ARM_DELAY_MS));
      act(() => confirmButton(root).click());
      await flush();
      expect(byTestId(root, 'error').textContent).toContain(words);
      expect(confirmButton(root).disabled).toBe(false);
      expect(calls.filter((c) => c.type === 'createPayment')).toHaveLength(1);
    });
  }

  it('should cancel the request when the window is closed or Cancel is clicked', async () => {
    const { send, calls } = fakeSend({
      getConfirmContext: { ok: true, ...context() },
      cancelRequest: { ok: true },
    });
    const { root, close } = await open(send);
    window.dispatchEvent(new Event('pagehide'));
    expect(calls.filter((c) => c.type === 'cancelRequest')).toEqual([
      { type: 'cancelRequest', data: { requestId: 'r1' } },
    ]);
    act(() => byTestId(root, 'cancel-button').click());
    await flush();
    expect(close).toHaveBeenCalled();
  });

  it('should offer to sign in when the session is gone, without canceling the request', async () => {
    const { send, calls } = fakeSend({ getConfirmContext: { ok: false, code: 'signed_out' } });
    const { root, goSignIn } = await open(send);
    act(() => byTestId(root, 'signin-link').click());
    expect(goSignIn).toHaveBeenCalled();
    window.dispatchEvent(new Event('pagehide'));
    expect(calls.filter((c) => c.type === 'cancelRequest')).toEqual([]);
  });

  it('should explain an expired request', async () => {
    const { send } = fakeSend({ getConfirmContext: { ok: false, code: 'request_expired' } });
    const { root } = await open(send, 'fr');
    expect(byTestId(root, 'error').textContent).toContain('a expiré');
  });
});
