/**
 * Helpers for the popup's component tests (happy-dom): a fake background keyed by message type, the popup
 * mounted against it, and typing into an input as a user does.
 */
import { act } from 'preact/test-utils';
import { vi } from 'vitest';
import { App } from '../../entrypoints/popup/App';
import { createPopupStore } from '../../entrypoints/popup/store';
import type { PayButtonsSetting } from '../../utils/pay-buttons';
import type { Lang } from '../../utils/i18n';
import type { sendMessage } from '../../utils/messaging';
import { mount } from './render';

export type Reply = { ok: boolean } & Record<string, unknown>;

/** A fake background keyed by message type (replies may change during a test); records every call. */
export function fakeBackground(replies: Record<string, Reply | (() => Reply)>) {
  const calls: { type: string; data: unknown }[] = [];
  const send = vi.fn(async (type: string, data: unknown) => {
    calls.push({ type, data });
    const r = replies[type];
    if (r === undefined) throw new Error('Could not establish connection');
    return typeof r === 'function' ? r() : r;
  });
  return { send: send as unknown as typeof sendMessage, calls, replies };
}
export type FakeBackground = ReturnType<typeof fakeBackground>;

/** Lets the popup's pending messages answer and the page redraw. */
export async function flush(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  });
}

/** The popup, mounted and settled, talking to `bg`; the page's callbacks are spies. */
export async function openPopup(
  bg: Pick<FakeBackground, 'send'>,
  o: { lang?: Lang; returnTo?: string | null; payButtons?: PayButtonsSetting; walletUrl?: string } = {},
) {
  const store = createPopupStore(bg.send);
  const close = vi.fn();
  const setPayButtons = vi.fn();
  const goBack = vi.fn();
  const root = mount(
    <App
      store={store}
      walletUrl={o.walletUrl ?? 'http://127.0.0.1:8787'}
      returnTo={o.returnTo ?? null}
      goBack={goBack}
      openOptions={vi.fn()}
      close={close}
      payButtons={o.payButtons ?? { posts: true, profiles: true }}
      setPayButtons={setPayButtons}
    />,
    o.lang,
  );
  await flush();
  return { root, store, close, setPayButtons, goBack };
}

/** Types `value` into `input` as the user would (one input event). */
export function type(input: HTMLElement, value: string): void {
  act(() => {
    (input as HTMLInputElement).value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
