/**
 * The content script's own lifetime. WXT's `ContentScriptContext` is not used for this: it switches itself off
 * when a document event named after the extension id says "a newer content script started", and a page that
 * knows the id (it is public for a store extension, and WXT also posts it to the page with `window.postMessage`)
 * can send that event itself and turn the extension off in its tab (docs/upstream/wxt-content-script-started.md).
 *
 * This context ends only through a channel the page cannot touch: the extension's runtime going away (reloaded,
 * updated or removed), which the content script sees as `runtime.id` becoming undefined in its own world. It is
 * checked lazily, where work is about to happen (every mutation batch, every event a listener gets), as WXT does.
 */
export interface ScriptContext {
  /** True once the extension's runtime is gone; reading it runs the invalidation if it just went. */
  readonly isInvalid: boolean;
  /** Calls `cb` once, when the context ends. Returns a function that removes it. */
  onInvalidated(cb: () => void): () => void;
  /** `target.addEventListener`, removed when the context ends; the listener does not run after that. */
  addEventListener(
    target: EventTarget,
    type: string,
    listener: (event: Event) => void,
    options?: AddEventListenerOptions,
  ): void;
}

/** A context that lives while `alive()` (in the extension: `browser.runtime?.id != null`). */
export function createScriptContext(alive: () => boolean): ScriptContext & { invalidate(): void } {
  const controller = new AbortController();
  const { signal } = controller;
  const context = {
    get isInvalid() {
      if (!signal.aborted && !alive()) controller.abort();
      return signal.aborted;
    },
    invalidate() {
      controller.abort();
    },
    onInvalidated(cb: () => void) {
      signal.addEventListener('abort', cb, { once: true });
      return () => signal.removeEventListener('abort', cb);
    },
    addEventListener(
      target: EventTarget,
      type: string,
      listener: (event: Event) => void,
      options: AddEventListenerOptions = {},
    ) {
      const guarded = (event: Event) => {
        if (!context.isInvalid) listener(event);
      };
      target.addEventListener(type, guarded, { ...options, signal });
    },
  };
  return context;
}
