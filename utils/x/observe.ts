/**
 * One MutationObserver for the whole content script (docs/ARCHITECTURE.md, journey 1), bound to the script's context
 * (lifecycle.ts): it disconnects when the script is invalidated (extension reloaded or updated).
 *
 * Work is proportional to what changed: each batch of mutation records is reduced to the added elements and
 * the elements whose children or `href` changed; a watcher looks only at those (`closest` + a scoped
 * `querySelectorAll`), never at the whole document. The batch runs in the observer's own microtask, so a
 * Pay button lands in the same frame as its post.
 *
 * The script's own changes (Pay hosts it added, or removed itself) are records too: they are taken at the end
 * of the batch that made them (`takeRecords`, not one more callback), and a batch made only of them runs no
 * watcher, no per-batch check and no location check.
 */
import type { ScriptContext } from './lifecycle';

/** What observe needs from the script's context. */
export type ObserveContext = ScriptContext;

interface Watcher {
  selector: string;
  /** Tried first inside each added subtree; where it matches nothing there, `selector` is. */
  quick?: string;
  onElement: (el: Element) => void;
  when?: () => boolean;
}

interface Hub {
  watchers: Watcher[];
  onNavigate: ((href: string) => void)[];
  onBatch: ((batch: Batch) => void)[];
  href: string;
  /** Added nodes not worth looking at (the content script's own Pay hosts). */
  ignore: ((el: Element) => boolean)[];
  /** Removed nodes not worth looking at (Pay hosts the content script removed itself). */
  ignoreRemoved: ((node: Node) => boolean)[];
}

/** What a batch of mutations says beyond the elements it touched. */
export interface Batch {
  /** An observed `style` attribute changed (<body>'s: where X keeps its theme colour). */
  styleChanged: boolean;
  /** `<html lang>` changed (X's UI language). */
  langChanged: boolean;
}

/**
 * What the one observer watches in the whole document (bench/content-floor.ts runs its lean scripts with the same):
 * `href` catches a reused cell whose links are rewritten in place, `characterData` a text rewritten in place;
 * childList catches everything else.
 */
export const OBSERVED: MutationObserverInit = {
  childList: true,
  subtree: true,
  characterData: true,
  attributes: true,
  attributeFilter: ['href'],
};

const hubs = new WeakMap<ObserveContext, Hub>();

function report(where: string, error: unknown): void {
  console.error(`[tweetez-payez] ${where}:`, error);
}

function run(watcher: Watcher, el: Element): void {
  try {
    watcher.onElement(el);
  } catch (error) {
    report(`observe(${watcher.selector})`, error);
  }
}

function checkLocation(hub: Hub): void {
  // `document.URL` is the same string as `location.href` (pushState updates both) and cheaper to read from the
  // content script's world, which reads it once per batch.
  const href = document.URL;
  if (href === hub.href) return;
  hub.href = href;
  for (const cb of hub.onNavigate) {
    try {
      cb(href);
    } catch (error) {
      report('onNavigate', error);
    }
  }
}

function anyOf<T>(tests: ((value: T) => boolean)[], value: T): boolean {
  for (const test of tests) if (test(value)) return true;
  return false;
}

function handleBatch(hub: Hub, records: MutationRecord[]): void {
  const added = new Set<Element>();
  const touched = new Set<Element>();
  const batch: Batch = { styleChanged: false, langChanged: false };
  /** A record the content script did not cause by adding or removing its own hosts. */
  let foreign = false;
  for (const record of records) {
    // Nearly every record is a childList one, and only those add or remove nodes: the lists are read first, and the
    // type only of a record that has neither. Indexed loops, and `instanceof` rather than `nodeType`: each read
    // crosses into the page's DOM, and batches are many.
    const addedNodes = record.addedNodes;
    const addedCount = addedNodes.length;
    for (let i = 0; i < addedCount; i++) {
      const node = addedNodes[i];
      if (!(node instanceof Element)) foreign = true;
      else if (!anyOf(hub.ignore, node)) {
        added.add(node);
        foreign = true;
      }
    }
    // Something removed (maybe our button, dropped by a re-render): look at its former parent again.
    const removed = record.removedNodes;
    const removedCount = removed.length;
    for (let i = 0; i < removedCount; i++) {
      if (anyOf(hub.ignoreRemoved, removed[i] as Node)) continue;
      const target = record.target;
      if (target instanceof Element) touched.add(target);
      foreign = true;
      break;
    }
    if (addedCount || removedCount) continue;
    const type = record.type;
    if (type === 'characterData') {
      // A text rewritten in place (a post's "@handle"): look at the element that holds it again.
      const parent = record.target.parentElement;
      if (parent) touched.add(parent);
      foreign = true;
    } else if (type === 'attributes') {
      const name = record.attributeName;
      if (name === 'href') touched.add(record.target as Element);
      else if (name === 'style') batch.styleChanged = true;
      else if (name === 'lang') batch.langChanged = true;
      foreign = true;
    }
  }
  // A batch made only of the script's own host changes says nothing new about the page.
  if (!foreign) return;
  checkLocation(hub);
  for (const cb of hub.onBatch) {
    try {
      cb(batch);
    } catch (error) {
      report('onBatch', error);
    }
  }
  for (const watcher of hub.watchers) {
    if (watcher.when && !watcher.when()) continue;
    const hits = new Set<Element>();
    for (const node of added) {
      if (!node.isConnected) continue;
      const up = node.closest(watcher.selector);
      if (up) hits.add(up);
      let inside = watcher.quick ? node.querySelectorAll(watcher.quick) : null;
      if (!inside?.length) inside = node.querySelectorAll(watcher.selector);
      for (let i = 0, n = inside.length; i < n; i++) hits.add(inside[i] as Element);
    }
    for (const node of touched) {
      const up = node.isConnected ? node.closest(watcher.selector) : null;
      if (up) hits.add(up);
    }
    for (const el of hits) run(watcher, el);
  }
}

function hubFor(ctx: ObserveContext): Hub {
  const existing = hubs.get(ctx);
  if (existing) return existing;
  const created: Hub = {
    watchers: [],
    onNavigate: [],
    onBatch: [],
    href: document.URL,
    ignore: [],
    ignoreRemoved: [],
  };
  hubs.set(ctx, created);
  const observer = new MutationObserver((records) => {
    if (ctx.isInvalidRecently) return observer.disconnect();
    handleBatch(created, records);
    // What the batch itself changed (the Pay hosts it added) is queued already: handled now, not in a callback
    // of its own. Nothing is dropped: anything else in the queue is looked at as usual.
    for (let more = observer.takeRecords(); more.length; more = observer.takeRecords())
      handleBatch(created, more);
  });
  observer.observe(document, OBSERVED);
  // The theme lives in <body>'s inline background colour, the UI language in <html lang>: watch those two
  // attributes of those two elements (read once per change, not once per batch).
  if (document.body) observer.observe(document.body, { attributes: true, attributeFilter: ['style'] });
  if (document.documentElement)
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  ctx.onInvalidated(() => observer.disconnect());
  // SPA navigations that mutate nothing: the back button, and the Navigation API where there is one.
  const later = () => queueMicrotask(() => checkLocation(created));
  ctx.addEventListener(window, 'popstate', later);
  const navigation = (globalThis as { navigation?: EventTarget }).navigation;
  if (navigation) ctx.addEventListener(navigation, 'navigatesuccess', later);
  return created;
}

/**
 * Calls `onElement` for every element matching `selector`: those in the document now, each one added later,
 * and again whenever something inside one changes (children added or removed, a link rewritten). `onElement`
 * must therefore be idempotent. `when`, if given, is checked once per batch to skip the work entirely
 * (e.g. profile watchers on non-profile pages).
 *
 * `quick`, if given, is a cheaper selector for the same elements (one of `selector`'s markers, such as a tag name):
 * inside each added subtree it is tried first, and `selector` only where `quick` matches nothing. Attribute
 * selectors are tested on every element of a subtree, a tag name is not, and the posts X adds while scrolling
 * come by the hundred (docs/x-drift.md "Cost"). What one added subtree holds is rendered by one version of X, so
 * either its elements all carry the quick marker or none does.
 */
export function observe(
  ctx: ObserveContext,
  selector: string,
  onElement: (el: Element) => void,
  options: { when?: () => boolean; quick?: string } = {},
): void {
  const watcher: Watcher = { selector, onElement, when: options.when, quick: options.quick };
  hubFor(ctx).watchers.push(watcher);
  if (!watcher.when || watcher.when()) for (const el of document.querySelectorAll(selector)) run(watcher, el);
}

/** Calls `cb(href)` after each navigation, including X's `pushState` SPA transitions (compared per batch). */
export function onNavigate(ctx: ObserveContext, cb: (href: string) => void): void {
  hubFor(ctx).onNavigate.push(cb);
}

/**
 * Calls `cb` at the start of every batch of mutations (before the watchers) except those made only of the
 * script's own host changes: cheap per-batch checks.
 */
export function onBatch(ctx: ObserveContext, cb: (batch: Batch) => void): void {
  hubFor(ctx).onBatch.push(cb);
}

/**
 * Added elements `skip` says to pass over (the content script's own Pay hosts: adding one must not re-run the
 * watchers). Only what this script created may be skipped; a look-alike added by the page is looked at.
 */
export function ignoreAdded(ctx: ObserveContext, skip: (el: Element) => boolean): void {
  const hub = hubFor(ctx);
  if (!hub.ignore.includes(skip)) hub.ignore.push(skip);
}

/**
 * Removed nodes `skip` says to pass over (Pay hosts the content script removed itself: their former parent
 * needs no second look). A host of ours the page removed is not one of them: its parent is looked at again.
 */
export function ignoreRemoved(ctx: ObserveContext, skip: (node: Node) => boolean): void {
  const hub = hubFor(ctx);
  if (!hub.ignoreRemoved.includes(skip)) hub.ignoreRemoved.push(skip);
}
