// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Payment, Recipient } from '../core/wallet-types';
import { AmountPicker, resolveAmount, type AmountChoice, type ParseAmount } from './AmountPicker';
import type { sendMessage } from '../utils/messaging';
import { BalanceCard } from './BalanceCard';
import { TextField } from './Field';
import { createRef } from 'preact';
import { PageHealthNotice } from './PageHealthNotice';
import { PaymentList, tweetUrl } from './PaymentList';
import { RecipientCard } from './RecipientCard';
import { StatusBadge, statusTone } from './StatusBadge';
import { byTestId, mount } from '../tests/helpers/render';
import { TweetPreview } from './TweetPreview';
import { aPayment } from '../tests/helpers/wallet-data';

afterEach(() => {
  document.body.innerHTML = '';
});

/** A tiny stand-in for core/money.ts parseAmount: whole or 2-decimal euros with , or . */
const parse: ParseAmount = (text) => {
  const m = /^\s*(\d{1,5})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return { ok: false, reason: 'invalid' };
  return { ok: true, cents: Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0')) };
};

function payment(over: Partial<Payment> = {}): Payment {
  return aPayment({
    payer: { handle: 'me', displayName: 'Me' },
    amountCents: 1250,
    tweetText: '@SMoneyfr #envoyer 12,50EUR @bob',
    ...over,
  });
}

describe('resolveAmount', () => {
  it('should take a preset as is', () => {
    expect(resolveAmount({ kind: 'preset', cents: 500 }, parse)).toEqual({ state: 'ok', cents: 500 });
  });
  it('should parse typed text and report empty or invalid text', () => {
    expect(resolveAmount({ kind: 'custom', text: '12,5' }, parse)).toEqual({ state: 'ok', cents: 1250 });
    expect(resolveAmount({ kind: 'custom', text: '  ' }, parse)).toEqual({ state: 'empty' });
    expect(resolveAmount({ kind: 'custom', text: '20 euros' }, parse)).toEqual({
      state: 'invalid',
      reason: 'invalid',
    });
  });
});

describe('AmountPicker', () => {
  it('should mark the chosen preset pressed and switch to custom when typing', () => {
    const changes: AmountChoice[] = [];
    const root = mount(
      <AmountPicker
        presets={[200, 500]}
        choice={{ kind: 'preset', cents: 500 }}
        onChange={(c) => changes.push(c)}
      />,
      'fr',
    );
    expect(byTestId(root, 'preset-500').getAttribute('aria-pressed')).toBe('true');
    expect(byTestId(root, 'preset-200').getAttribute('aria-pressed')).toBe('false');
    expect(byTestId(root, 'preset-200').textContent).toBe('2,00\u00a0€');
    act(() => byTestId(root, 'preset-200').click());
    const input = byTestId(root, 'amount-input') as HTMLInputElement;
    act(() => {
      input.value = '7,5';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(changes).toEqual([
      { kind: 'preset', cents: 200 },
      { kind: 'custom', text: '7,5' },
    ]);
  });
  it('should label the custom field and describe its error', () => {
    const root = mount(
      <AmountPicker
        presets={[200]}
        choice={{ kind: 'custom', text: 'abc' }}
        onChange={() => undefined}
        customError="Not an amount"
      />,
    );
    const input = byTestId(root, 'amount-input');
    expect(root.querySelector(`label[for="${input.id}"]`)?.textContent).toBe('Other amount (€)');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(root.querySelector(`#${input.getAttribute('aria-describedby')}`)?.textContent).toBe(
      'Not an amount',
    );
  });
});

describe('TextField', () => {
  it('should tie its label, hint and error to the input and hand back what is typed', () => {
    const typed: string[] = [];
    const ref = createRef<HTMLInputElement>();
    const root = mount(
      <TextField
        id="f"
        testId="f-input"
        inputRef={ref}
        label="Email"
        hint="We never share it"
        error="Not an address"
        errorTestId="f-error"
        describedBy="elsewhere"
        type="email"
        autoComplete="username"
        required
        value="a@"
        onValue={(v) => typed.push(v)}
      />,
    );
    const input = byTestId(root, 'f-input') as HTMLInputElement;
    expect(ref.current).toBe(input);
    expect(root.querySelector('label[for="f"]')?.textContent).toBe('Email');
    expect([input.type, input.autocomplete, input.required, input.value]).toEqual([
      'email',
      'username',
      true,
      'a@',
    ]);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe('f-hint f-error elsewhere');
    expect(byTestId(root, 'f-error').textContent).toBe('Not an address');
    act(() => {
      input.value = 'a@b.example';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(typed).toEqual(['a@b.example']);
  });
});

describe('StatusBadge', () => {
  it('should say the status in the user language', () => {
    expect(mount(<StatusBadge status="claimable" />, 'fr').textContent).toBe(
      'Réservé jusqu’à son inscription',
    );
    expect(mount(<StatusBadge status="completed" />, 'en').textContent).toBe('Completed');
  });
  it('should colour waiting and failed statuses differently', () => {
    expect(statusTone('awaiting_tweet')).toBe('wait');
    expect(statusTone('failed')).toBe('bad');
    expect(statusTone('completed')).toBe('ok');
    expect(statusTone('refunded')).toBe('neutral');
  });
});

describe('BalanceCard', () => {
  it('should show available and held amounts in the locale', () => {
    const root = mount(<BalanceCard balance={{ availableCents: 123456, heldCents: 500 }} />, 'fr');
    expect(byTestId(root, 'balance-available').textContent).toBe('1\u202f234,56\u00a0€');
    expect(byTestId(root, 'balance-held').textContent).toBe('Réservé : 5,00\u00a0€');
  });
});

describe('PaymentList', () => {
  it('should show the counterpart, a signed amount, the status and a tweet link', () => {
    const root = mount(
      <PaymentList
        testId="history-list"
        labelledBy="x"
        payments={[
          payment({ tweetId: '1790000000000000001' }),
          payment({ id: 'p2', direction: 'received', payer: { handle: 'alice', displayName: 'Alice' } }),
        ]}
      />,
    );
    const items = root.querySelectorAll('li');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('To @bob');
    expect(items[0]!.textContent).toContain('−€12.50');
    expect(items[0]!.querySelector('a')!.getAttribute('href')).toBe(tweetUrl('1790000000000000001'));
    expect(items[1]!.textContent).toContain('From @alice');
    expect(items[1]!.textContent).toContain('+€12.50');
    expect(items[1]!.querySelector('a')).toBeNull();
  });
  it('should render untrusted messages and names as text, never HTML', () => {
    const root = mount(
      <PaymentList
        testId="history-list"
        labelledBy="x"
        payments={[
          payment({
            message: '<img src=x onerror=alert(1)>',
            recipient: { handle: null, displayName: '<b>evil</b>', registered: false },
          }),
        ]}
      />,
    );
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(root.textContent).toContain('To <b>evil</b>');
  });
  it('should call back Confirm and Cancel for pending payments and disable the busy one', () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    const root = mount(
      <PaymentList
        testId="pending-list"
        labelledBy="x"
        pending
        busyId="p2"
        onConfirm={onConfirm}
        onCancel={onCancel}
        payments={[payment({ status: 'awaiting_confirmation' }), payment({ id: 'p2' })]}
      />,
    );
    const [first, second] = [...root.querySelectorAll('li')];
    const buttons = first!.querySelectorAll('button');
    act(() => buttons[0]!.click());
    act(() => buttons[1]!.click());
    expect(onConfirm).toHaveBeenCalledWith(expect.objectContaining({ id: 'p1' }));
    expect(onCancel).toHaveBeenCalledWith(expect.objectContaining({ id: 'p1' }));
    expect([...second!.querySelectorAll('button')].every((b) => b.disabled)).toBe(true);
  });
});

describe('TweetPreview', () => {
  it('should show the exact text, its weighted length and the public notice', () => {
    const root = mount(
      <TweetPreview
        state={{ ok: true, text: '@SMoneyfr #envoyer 5EUR @bob', weightedLength: 28 }}
        handle="bob"
      />,
    );
    expect(byTestId(root, 'tweet-preview').textContent).toBe('@SMoneyfr #envoyer 5EUR @bob');
    expect(byTestId(root, 'tweet-length').textContent).toBe('28/280');
    expect(byTestId(root, 'public-notice').textContent).toContain('public');
  });
  it('should explain a refusal instead of a preview', () => {
    const root = mount(<TweetPreview state={{ ok: false, reason: 'it is too long.' }} handle="bob" />, 'en');
    expect(root.querySelector('[data-testid="tweet-preview"]')).toBeNull();
    expect(byTestId(root, 'tweet-refused').textContent).toBe('This tweet cannot be posted: it is too long.');
  });
});

describe('RecipientCard', () => {
  const recipient: Recipient = {
    handle: 'carol',
    registered: false,
    kind: 'person',
    limitCents: 25000,
    feeBps: 0,
  };
  it('should explain what happens to the money when the recipient has no wallet', () => {
    const root = mount(<RecipientCard recipient={recipient} claimDays={14} />, 'fr');
    expect(byTestId(root, 'recipient-handle').textContent).toBe('@carol');
    expect(byTestId(root, 'recipient-status').textContent).toBe('Pas encore de portefeuille');
    expect(byTestId(root, 'recipient-unregistered').textContent).toContain('14 jours');
    expect(byTestId(root, 'recipient-limit').textContent).toBe('Plafond par paiement : 250,00\u00a0€');
  });
  it('should show the display name as text and no explanation for a registered recipient', () => {
    const root = mount(
      <RecipientCard
        recipient={{ ...recipient, registered: true, displayName: '<i>Carol</i>' }}
        claimDays={14}
      />,
    );
    expect(byTestId(root, 'recipient-name').textContent).toBe('<i>Carol</i>');
    expect(root.querySelector('i')).toBeNull();
    expect(root.querySelector('[data-testid="recipient-unregistered"]')).toBeNull();
  });
});

describe('PageHealthNotice', () => {
  it('says in plain words, in English and French, that the Pay buttons are paused in this tab', async () => {
    for (const [lang, words] of [
      ['en', 'X changed its page; Pay buttons are paused here'],
      ['fr', 'X a changé sa page ; les boutons Payer sont en pause ici'],
    ] as const) {
      const send = vi.fn(async () => ({ ok: true, paused: true })) as unknown as typeof sendMessage;
      const root = mount(<PageHealthNotice send={send} />, lang);
      await act(async () => undefined);
      expect(byTestId(root, 'page-paused').textContent).toContain(words);
    }
  });

  it('shows nothing when the page is fine or the background cannot say', async () => {
    for (const reply of [
      { ok: true, paused: false },
      { ok: false, code: 'internal' },
    ]) {
      const send = vi.fn(async () => reply) as unknown as typeof sendMessage;
      const root = mount(<PageHealthNotice send={send} />);
      await act(async () => undefined);
      expect(root.querySelector('[data-testid="page-paused"]')).toBeNull();
    }
  });
});
