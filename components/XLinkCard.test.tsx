// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { sendMessage } from '../utils/messaging';
import type { Me } from '../core/wallet-types';
import { byTestId, mount } from '../tests/helpers/render';
import { XLINK_POLL_MS, XLinkCard } from './XLinkCard';

const me = (xHandle: string | null): Me => ({
  id: 'a1',
  email: 'a@example.com',
  displayName: 'A',
  kind: 'person',
  xHandle,
  xUserId: xHandle ? '1' : null,
  balance: { availableCents: 0, heldCents: 0 },
  currency: 'EUR',
});

/** A background that links the account once `startXLink` was asked and the user came back from X. */
function fakeBackground() {
  const state = { linked: null as string | null, started: 0, fail: null as string | null };
  const send = (async (type: string) => {
    if (type === 'getSession') return { ok: true, signedIn: true, me: me(state.linked) };
    if (type === 'startXLink') {
      state.started++;
      return state.fail ? { ok: false, code: state.fail } : { ok: true };
    }
    throw new Error(type);
  }) as unknown as typeof sendMessage;
  return { state, send };
}
const flush = () => act(async () => await Promise.resolve());

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('XLinkCard', () => {
  it('starts the link, waits for the wallet, then shows "Linked as @handle"', async () => {
    vi.useFakeTimers();
    const bg = fakeBackground();
    const onLinked = vi.fn();
    const root = mount(<XLinkCard handle={null} send={bg.send} onLinked={onLinked} />);
    expect(byTestId(root, 'x-link-status').textContent).toContain('Link your X account to pay by tweet');
    await act(async () => byTestId(root, 'x-link-button').click());
    await flush();
    expect(bg.state.started).toBe(1);
    expect(byTestId(root, 'x-link-status').textContent).toContain('Finish on X');
    expect(root.querySelector('[data-testid="x-link-button"]')).toBeNull();
    bg.state.linked = 'alice';
    await act(async () => void vi.advanceTimersByTime(XLINK_POLL_MS));
    await flush();
    expect(byTestId(root, 'x-link-status').textContent).toBe('Linked as @alice');
    expect(onLinked).toHaveBeenCalledWith('alice');
  });

  it('asks the wallet itself when the page does not know (options page), in French', async () => {
    const bg = fakeBackground();
    bg.state.linked = 'chloe_fr';
    const root = mount(<XLinkCard send={bg.send} />, 'fr');
    await flush();
    expect(byTestId(root, 'x-link-status').textContent).toBe('Lié en tant que @chloe_fr');
  });

  it('says why the link could not start', async () => {
    const bg = fakeBackground();
    bg.state.fail = 'forbidden';
    const root = mount(<XLinkCard handle={null} send={bg.send} />);
    await act(async () => byTestId(root, 'x-link-button').click());
    await flush();
    expect(byTestId(root, 'x-link-error').getAttribute('role')).toBe('alert');
    expect(root.querySelector('[data-testid="x-link-button"]')).not.toBeNull();
  });
});
