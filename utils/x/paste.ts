/**
 * A synthetic paste that X's Draft.js composer accepts, from a content script, in Chromium and in Firefox
 * (Draft reads `event.clipboardData` in its React `onPaste` handler).
 *
 * - Chromium: `new ClipboardEvent('paste', { clipboardData })` with a `DataTransfer` holding `text/plain`.
 *   DOM objects are shared between the isolated world and the page, so the page reads the text.
 * - Firefox: that event reaches the page with an EMPTY `clipboardData` — Gecko's `ClipboardEvent` constructor
 *   ignores the `clipboardData` of the init dictionary for web content (checked on Firefox ESR 153: even a
 *   page script constructing its own event gets `types: []`, `getData() === ''`). Defining `clipboardData`
 *   on the event from the content script does not help either: the content script sees the page through
 *   Xray wrappers, so its own properties are invisible to page scripts. What works: define `clipboardData`
 *   on the page's view of the event (`event.wrappedJSObject`) as a page-world object whose `getData` is
 *   exported with `exportFunction` (a `cloneInto` of a plain object would drop the function).
 *
 * The caller then verifies the result (the composer's text, the Post button's state) and falls back otherwise.
 */

/** Firefox's content-script helpers (MDN "Sharing objects with page scripts"); absent in Chromium. */
interface FirefoxSharing {
  exportFunction<F extends (...args: never[]) => unknown>(
    fn: F,
    target: object,
    options?: { defineAs?: string },
  ): F;
  cloneInto<T>(value: T, target: object, options?: { cloneFunctions?: boolean }): T;
}

/** A page-world object as seen through an Xray wrapper. */
interface XrayWrapped {
  wrappedJSObject?: unknown;
}

type PageWindow = Window & typeof globalThis;

/** Firefox's sharing helpers and the page's own window, when running in a Firefox content script. */
function firefoxPage(target: Element): { sharing: FirefoxSharing; page: PageWindow } | null {
  const g = globalThis as Partial<FirefoxSharing>;
  const view = target.ownerDocument.defaultView as (Window & XrayWrapped) | null;
  if (typeof g.exportFunction !== 'function' || typeof g.cloneInto !== 'function' || !view) return null;
  const page = view.wrappedJSObject as PageWindow | undefined;
  if (!page) return null;
  return { sharing: g as FirefoxSharing, page };
}

/**
 * Dispatches a `paste` of `text` (plain text; `\n` separates paragraphs) on `target`, normally the focused
 * composer. Returns false when a listener called `preventDefault()` — which is what an editor that took the
 * paste does — and true when nobody handled it.
 */
export function dispatchPaste(target: HTMLElement, text: string): boolean {
  const ff = firefoxPage(target);
  if (!ff) {
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', text);
    return target.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }),
    );
  }

  const { sharing, page } = ff;
  const event = new ClipboardEvent('paste', { bubbles: true, cancelable: true });
  // A page-world stand-in for DataTransfer with what Draft.js (fbjs DataTransfer) reads.
  const data = new page.Object() as Record<string, unknown>;
  sharing.exportFunction(
    (type: string) => (type === 'text/plain' || type.toLowerCase() === 'text' ? text : ''),
    data,
    { defineAs: 'getData' },
  );
  data.types = sharing.cloneInto(['text/plain'], page);
  data.items = sharing.cloneInto([], page);
  data.files = sharing.cloneInto([], page);
  data.dropEffect = 'none';
  data.effectAllowed = 'uninitialized';
  const descriptor = new page.Object() as PropertyDescriptor;
  descriptor.value = data;
  descriptor.configurable = true;
  const pageEvent = (event as Event & XrayWrapped).wrappedJSObject;
  page.Object.defineProperty(pageEvent ?? event, 'clipboardData', descriptor);
  return target.dispatchEvent(event);
}
