import { afterEach, describe, expect, it, vi } from 'vitest';

type Raw = (m: unknown, s: object, respond: (r: unknown) => void) => unknown;

/** A Chromium-like `chrome.runtime` (callbacks for answers), as the content script's world has it. */
function fakeChrome() {
  const listeners = new Set<Raw>();
  const runtime = {
    id: 'ext-id' as string | undefined,
    sendMessage: vi.fn(async (m: unknown) => ({ echo: m })),
    onMessage: { addListener: (l: Raw) => listeners.add(l), removeListener: (l: Raw) => listeners.delete(l) },
  };
  return { runtime, listeners };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('the content script’s wxt/browser (Chromium)', () => {
  it('answers a message with what a listener’s promise gives, and removes that listener', async () => {
    const chrome = fakeChrome();
    vi.stubGlobal('browser', undefined);
    vi.stubGlobal('chrome', chrome);
    const { browser } = await import('./browser-shim');
    const listener = async (m: unknown) => ({ ok: true, got: m });
    browser.runtime.onMessage.addListener(listener);
    const [raw] = [...chrome.listeners];
    const answer = new Promise((resolve) => expect(raw!({ type: 'getPageUrl' }, {}, resolve)).toBe(true));
    expect(await answer).toEqual({ ok: true, got: { type: 'getPageUrl' } });
    // A listener that does not answer (returns undefined) leaves the channel to others.
    browser.runtime.onMessage.addListener(() => undefined);
    expect([...chrome.listeners][1]!({}, {}, () => undefined)).toBeUndefined();
    browser.runtime.onMessage.removeListener(listener);
    expect(chrome.listeners.size).toBe(1);
    expect(await browser.runtime.sendMessage({ type: 'x' })).toEqual({ echo: { type: 'x' } });
    expect(browser.runtime.id).toBe('ext-id');
    chrome.runtime.id = undefined; // the extension was reloaded: the id goes
    expect(browser.runtime.id).toBeUndefined();
  });

  it('is Firefox’s own `browser` where there is one', async () => {
    const own = { runtime: { id: 'ff-id' } };
    vi.stubGlobal('browser', own);
    vi.stubGlobal('chrome', fakeChrome());
    const { browser } = await import('./browser-shim');
    expect(browser).toBe(own);
  });
});
