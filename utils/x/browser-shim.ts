/**
 * `wxt/browser` for the x.com content script only (wxt.config.ts aliases it there): the little of the extension
 * API the content script uses — `runtime.id`, `runtime.sendMessage`, `runtime.onMessage` — without the
 * webextension-polyfill, whose API tables alone are a quarter of the content script's 12 KB budget.
 *
 * Firefox: its own `browser`, promises everywhere. Chromium: `chrome`, whose Manifest V3 `sendMessage` returns a
 * promise already; its `onMessage` listeners answer through `sendResponse`, so a listener that returns a promise
 * is wrapped to answer with what the promise gives (what the polyfill does).
 */
type Listener = (message: unknown, sender: object) => unknown;

interface ChromeRuntime {
  id?: string;
  sendMessage(message: unknown): Promise<unknown>;
  onMessage: {
    addListener(l: (m: unknown, s: object, respond: (r: unknown) => void) => unknown): void;
    removeListener(l: (m: unknown, s: object, respond: (r: unknown) => void) => unknown): void;
  };
}

const wrapped = new WeakMap<Listener, (m: unknown, s: object, respond: (r: unknown) => void) => unknown>();

function chromeRuntime(runtime: ChromeRuntime): ChromeRuntime {
  return {
    get id() {
      return runtime?.id;
    },
    sendMessage: (message) => runtime.sendMessage(message),
    onMessage: {
      addListener(listener) {
        const wrapper = (m: unknown, s: object, respond: (r: unknown) => void) => {
          const out = (listener as Listener)(m, s) as Promise<unknown> | undefined;
          if (!out || typeof out.then !== 'function') return undefined;
          out.then(respond, () => respond(undefined));
          return true;
        };
        wrapped.set(listener as Listener, wrapper);
        runtime.onMessage.addListener(wrapper);
      },
      removeListener(listener) {
        const wrapper = wrapped.get(listener as Listener);
        if (wrapper) runtime.onMessage.removeListener(wrapper);
      },
    },
  };
}

const g = globalThis as { browser?: { runtime?: ChromeRuntime }; chrome?: { runtime: ChromeRuntime } };
export const browser = (
  g.browser?.runtime?.id
    ? g.browser
    : { runtime: chromeRuntime((g.chrome as { runtime: ChromeRuntime }).runtime) }
) as typeof import('webextension-polyfill');
export default browser;
