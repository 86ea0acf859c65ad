// @vitest-environment happy-dom
/**
 * Attacks: hostile display names, messages and tweet texts from the wallet render as text in the popup
 * (balance header, pending confirmations, history), never as markup.
 */
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { sendMessage } from '@/utils/messaging';
import type { Me, Payment } from '@/core/wallet-types';
import { openPopup } from '@/tests/helpers/popup';
import { aMe, aPayment, POST_ID } from '@/tests/helpers/wallet-data';

const XSS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=2</script>',
  '"><svg onload="window.__xss=3">',
  '<iframe src="javascript:window.__xss=4"></iframe>',
  '\u202eevil\u202c & <b>bold</b>',
];

function payment(s: string, over: Partial<Payment>): Payment {
  return aPayment({
    direction: 'received',
    payer: { handle: 'mallory', displayName: s },
    recipient: { handle: 'alice', displayName: s, registered: true },
    message: s,
    tweetText: `@SMoneyfr #envoyer 5EUR @alice ${s}`,
    tweetId: POST_ID,
    ...over,
  });
}

describe('red team: XSS strings in the popup', () => {
  afterEach(() => {
    render(null, document.body);
    document.body.innerHTML = '';
  });

  for (const s of XSS) {
    it(`should show ${JSON.stringify(s)} as text in the header, pending list and history`, async () => {
      const me: Me = aMe({ displayName: s, balance: { availableCents: 100, heldCents: 0 } });
      const replies: Record<string, unknown> = {
        getSession: { ok: true, signedIn: true, me },
        getSummary: {
          ok: true,
          me,
          pending: [payment(s, { id: 'q1', direction: 'sent', status: 'awaiting_confirmation' })],
          recent: [payment(s, {})],
        },
        getActiveTabTarget: { ok: true, target: null },
      };
      const send = vi.fn(async (type: string) => replies[type]) as unknown as typeof sendMessage;
      const { root } = await openPopup({ send });
      expect(root.querySelector('[data-testid="history-list"]')).toBeTruthy();
      expect(root.textContent).toContain(s);
      expect(root.querySelectorAll('img, script, svg, iframe, b, a[href^="javascript"]')).toHaveLength(0);
      expect((window as { __xss?: unknown }).__xss).toBeUndefined();
    });
  }
});
