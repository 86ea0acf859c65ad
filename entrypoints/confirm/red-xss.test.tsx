// @vitest-environment happy-dom
/**
 * Attacks: hostile strings from X and the wallet (display names, handles echoed back, messages) render
 * as text in the confirm window, never as markup.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { byTestId, mount } from '@/tests/helpers/render';
import type { ConfirmContext, sendMessage } from '@/utils/messaging';
import { parseAmount } from '@/core/money';
import { formatPaymentTweet } from '@/core/payment-tweet';
import { checkPayment } from '@/core/rules';
import { App } from './App';
import { tweetReasonText } from '@/utils/i18n';
import { aConfirmContext } from '@/tests/helpers/wallet-data';

const XSS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=2</script>',
  '"><svg onload="window.__xss=3">',
  '<iframe src="javascript:window.__xss=4"></iframe>',
  '<a href="javascript:window.__xss=5">click</a>',
  '\u202eevil\u202c & <b>bold</b>',
];

/** No element a hostile string could have created, and no script ran. */
function expectInert(root: HTMLElement) {
  expect(root.querySelectorAll('img, script, svg, iframe, b, a[href^="javascript"]')).toHaveLength(0);
  expect((window as { __xss?: unknown }).__xss).toBeUndefined();
}

function context(displayName: string): ConfirmContext {
  return aConfirmContext({ recipient: { displayName }, me: { email: 'a@example.com', displayName } });
}

describe('red team: XSS strings in the confirm window', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.spyOn(document, 'hasFocus').mockImplementation(() => true);
  });
  afterEach(() => {
    render(null, document.body);
    document.body.innerHTML = '';
    vi.useRealTimers();
  });

  for (const s of XSS) {
    it(`should show ${JSON.stringify(s)} as text in the recipient name and the message`, async () => {
      const send = vi.fn(async () => ({ ok: true, ...context(s) })) as unknown as typeof sendMessage;
      const root = mount(
        <App
          requestId="r1"
          send={send}
          presets={[200]}
          defaultMode="private"
          deps={{ formatTweet: formatPaymentTweet, check: checkPayment }}
          parseAmount={(text) => parseAmount(text, 'en')}
          tweetReason={tweetReasonText}
          close={vi.fn()}
          goSignIn={vi.fn()}
        />,
      );
      await act(async () => {
        for (let i = 0; i < 5; i++) await Promise.resolve();
      });
      expect(byTestId(root, 'recipient-name').textContent).toBe(s);
      const message = byTestId(root, 'message-input') as HTMLInputElement;
      act(() => {
        message.value = s;
        message.dispatchEvent(new Event('input', { bubbles: true }));
      });
      act(() => void vi.advanceTimersByTime(2000));
      expect(root.textContent).toContain(s);
      expectInert(root);
    });
  }
});
