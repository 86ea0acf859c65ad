/**
 * The content script's own lifetime. WXT's `ContentScriptContext` is not used for this: it switches itself off
 * when a document event named after the extension id says "a newer content script started", and a page that
 * knows the id (it is public for a store extension, and WXT also posts it to the page with `window.postMessage`)
 * can send that event itself and turn the extension off in its tab (docs/upstream/wxt-content-script-started.md).
 *
 * This context ends only through a channel the page cannot touch: the extension's runtime going away (reloaded,
 * updated or removed), which the content script sees as `runtime.id` becoming undefined in its own world. It is
 * checked lazily, where work is about to happen, as WXT does: every event a listener gets, and the mutation batches
 * (at most once per `RECHECK_MS` there: they come by the hundred while X scrolls).
 */
export interface ScriptContext {
  /** True once the extension's runtime is gone; reading it runs the invalidation if it just went. */
  readonly isInvalid: boolean;
  /**
   * `isInvalid` for the hot path (every mutation batch, hundreds a second while X scrolls): the runtime is read
   * at most once per `RECHECK_MS` (reading it crosses into the browser), so an ended extension is noticed within
   * that time after its end rather than at the first batch.
   */
  readonly isInvalidRecently: boolean;
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

/** How long `isInvalidRecently` trusts its last reading of the runtime. */
export const RECHECK_MS = 200;

/**
 * A context that lives while `alive()` (in the extension: `browser.runtime?.id != null`). `now` is the clock of
 * `isInvalidRecently` (milliseconds).
 */
export function createScriptContext(
  alive: () => boolean,
  now: () => number = Date.now,
): ScriptContext & { invalidate(): void } {
  const controller = new AbortController();
  const { signal } = controller;
  let checkedAt = -Infinity;
  const context = {
    get isInvalid() {
      checkedAt = now();
      if (!signal.aborted && !alive()) controller.abort();
      return signal.aborted;
    },
    get isInvalidRecently() {
      if (signal.aborted) return true;
      return now() - checkedAt >= RECHECK_MS ? context.isInvalid : false;
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
