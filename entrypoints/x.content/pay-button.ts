/**
 * The in-page Pay button, in its own CLOSED shadow root: X's styles cannot reach it, ours cannot leak, and the
 * page's scripts cannot reach the button at all (`host.shadowRoot` is null for them), so they can neither relabel
 * it (label, tooltip, aria-label) nor focus or click it. The host carries the test hook
 * `data-tweetez-payez="tweet|profile"` (docs/ARCHITECTURE.md "Test hooks") and `data-theme`; inside is one `button` named
 * "Pay @handle" / "Payer @handle".
 *
 * Plain DOM, not Preact: the button is one element whose icon the shared style sheet draws, and Preact alone
 * (≈ 5 KB gzip) would take the content script over its 12 KB budget (measured by `npm run bench:content`); one
 * element per shadow root is also the cheapest to add, style, lay out and paint hundreds of times while scrolling.
 *
 * Clicks are not consent, and they are ours. Pointer, mouse and key events aimed at a host stop at the document,
 * in the capture phase, before any element of the page (X's own handlers, which open the post when anything in
 * its article is clicked, or react to Enter) sees them. One set of listeners serves every host. A payment needs
 * a PRESS and then a CLICK, both trusted, on the same button:
 * - the press (a trusted pointerdown on the button, or a trusted Enter/Space keydown while the button has a focus
 *   the user gave it: by Tab or by pressing on it, never by the page) calls `onPress`, which reads the post and
 *   fixes the target, or refuses;
 * - the click that follows (a pointer click on the button after a pointer press, a keyboard click after a key
 *   press) runs what `onPress` returned, which checks the post again. Anything else does nothing.
 */
import type { Lang, Theme } from '../../utils/x/page';
import { PAY_HOST_ATTR } from '../../utils/x/selectors';
import type { ScriptContext } from '../../utils/x/lifecycle';

export type PayButtonVariant = 'tweet' | 'profile';

/**
 * A coin with a euro sign, on X's 24-unit icon grid so it sits with X's outline icons: one outline (the ring, then
 * the sign), drawn by the shared style sheet (`clip-path: path()` on the button's `::before`, in its text colour),
 * so a button is one element, with no SVG to clone, style, lay out and paint for every post.
 */
const ICON =
  'M12 1.75C6.34 1.75 1.75 6.34 1.75 12S6.34 22.25 12 22.25 22.25 17.66 22.25 12 17.66 1.75 12 1.75zm0 18.5c-4.56 0-8.25-3.69-8.25-8.25S7.44 3.75 12 3.75s8.25 3.69 8.25 8.25-3.69 8.25-8.25 8.25z' +
  'M15.2 8.2a4 4 0 0 0-2.2-.7c-1.9 0-3.4 1.2-3.9 2.9H8v1.3h.9v.6H8v1.3h1.1c.5 1.7 2 2.9 3.9 2.9.8 0 1.6-.2 2.2-.7l-.6-1.2c-.5.3-1 .5-1.6.5-1.1 0-2.1-.6-2.5-1.5h2.6v-1.3h-2.9v-.6h2.9v-1.3h-2.6c.4-.9 1.4-1.5 2.5-1.5.6 0 1.1.2 1.6.5z';

/**
 * X's look, per theme: action icons 18.75 px in the secondary text colour, a round tinted hover,
 * X's light-blue focus ring; the profile variant is X's 36 px outlined round button (like "Message"), with its
 * 12 px bottom margin: X's header row aligns its items to the bottom, so the same margin lines them up.
 * The button resets only the properties a button has of its own, not `all: unset`: that sets every CSS property of
 * every button, and the style time the buttons add to the page was 1.6 times what it is now (`npm run bench:content`,
 * the renderer's RecalcStyleDuration with and without), for the same pixels.
 */
const CSS = `
:host{display:flex;align-items:center;flex:0 0 auto;--fg:#536471;--text:#0f1419;--border:#cfd9de;
--hover:rgba(15,20,25,.1);--tint:#00ba7c;--tint-bg:rgba(0,186,124,.1);--ring:#8ecdf8}
:host([data-theme=dark]){--fg:#71767b;--text:#eff3f4;--border:#536471;--hover:rgba(239,243,244,.1)}
:host([${PAY_HOST_ATTR}=profile]){margin-bottom:12px}
button{appearance:none;margin:0;padding:0;border:0;background:none;font:inherit;color:inherit;outline:none;
box-sizing:border-box;display:inline-flex;align-items:center;justify-content:center;
border-radius:9999px;cursor:pointer;transition:color .2s,background-color .2s,box-shadow .2s}
button:focus-visible{box-shadow:0 0 0 2px var(--ring)}
button::before{content:"";flex:none;width:24px;height:24px;background:currentColor;pointer-events:none;
clip-path:path("${ICON}")}
.tweet{width:34.75px;height:34.75px;margin:-8px -8px -8px 4px;color:var(--fg)}
.tweet::before{transform:scale(.78125)}
.tweet:hover,.tweet:focus-visible{color:var(--tint);background-color:var(--tint-bg)}
.profile{width:36px;height:36px;margin-right:8px;border:1px solid var(--border);color:var(--text)}
.profile::before{transform:scale(.83333)}
.profile:hover{background-color:var(--hover)}`;

const STOPPED = new Set([
  'click',
  'auxclick',
  'dblclick',
  'mousedown',
  'mouseup',
  'pointerdown',
  'pointerup',
  'keydown',
  'keypress',
  'keyup',
]);
/** Seen but not stopped: where the focus goes, and the keys and presses that may move it. */
const WATCHED = ['focusin', 'focusout'] as const;

/** A trusted Tab key is down: the focus that moves now is moved by the user. */
let tabbing = false;

/** True when a mouse event's point lies on the host's button (the shadow root is closed: no composedPath). */
function onButton(state: Mounted, event: MouseEvent): boolean {
  const r = state.button.getBoundingClientRect();
  return (
    event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom
  );
}

const isActivationKey = (event: KeyboardEvent) => event.key === 'Enter' || event.key === ' ';

/**
 * The parent of the host the user last pressed on. When that host is replaced before the click (its post changed
 * author), the browser may send the click to an ancestor: it is still the press on our button, so the post does
 * not open either.
 */
let pressedIn: { host: Element; parent: Element | null } | null = null;

function swallowOrphanClick(event: Event): void {
  const pressed = pressedIn;
  pressedIn = null;
  const target = event.target;
  if (!pressed || pressed.host.isConnected || !(target instanceof Node) || !pressed.parent) return;
  if (target.contains(pressed.parent) || pressed.parent.contains(target)) {
    event.stopPropagation();
    event.preventDefault();
  }
}

/** Fixes the target (or refuses) at the moment the user presses. */
function press(host: HTMLElement, state: Mounted, via: Press['via']): void {
  let act: (() => void) | null = null;
  try {
    act = hostTampered(host) ? null : state.options.onPress(host);
  } catch (error) {
    console.error('[tweetez-payez] press:', error);
  }
  state.press = act ? { via, act } : null;
}

/**
 * Attributes the page may not put on a host: they would give it another accessible name, role or tooltip, or
 * make it focusable in the button's place. A press on such a host is refused.
 */
const FOREIGN_ATTRS = /^(?:role|title|tabindex|contenteditable|aria-.*)$/i;

function hostTampered(host: Element): boolean {
  for (const name of host.getAttributeNames()) if (FOREIGN_ATTRS.test(name)) return true;
  return false;
}

/**
 * Seen at the document in the capture phase, an event from inside a host's shadow root has the host as its
 * target (and, the root being closed, nothing deeper in `composedPath()`).
 */
function onEvent(event: Event): void {
  const { type, isTrusted } = event;
  if (type === 'keydown' || type === 'keyup') {
    if (isTrusted && (event as KeyboardEvent).key === 'Tab') tabbing = type === 'keydown';
  }
  const byTab = tabbing;
  if (type === 'focusin') tabbing = false; // one Tab moves the focus once
  const host = event.target;
  const state = host instanceof HTMLElement ? mounted.get(host) : undefined;
  if (type === 'click' && isTrusted && !state) swallowOrphanClick(event);
  if (type === 'pointerdown' && isTrusted && !state && host instanceof Element && formerParent.has(host)) {
    // Pressed on a host of ours that was just replaced (the page changed the post under the pointer).
    pressedIn = { host, parent: formerParent.get(host) ?? null };
  }
  if (!host || !state) return;
  if (type === 'focusin' || type === 'focusout') {
    // Only a focus the user moved here (Tab, or pressing on the button) lets a key press pay; the page's
    // `focus()` calls make trusted focus events too, but no trusted Tab or press comes before them.
    const focused = type === 'focusin' && state.root.activeElement === state.button;
    state.userFocus = focused && (state.pointing || byTab);
    state.pointing = false;
    if (!focused) state.press = null;
    return;
  }
  event.stopPropagation();
  if (!isTrusted) return;
  if (type === 'pointerdown' || type === 'mousedown') {
    const onIt = (event as MouseEvent).button === 0 && onButton(state, event as MouseEvent);
    if (type === 'pointerdown') {
      pressedIn = onIt ? { host: host as Element, parent: (host as Element).parentElement } : null;
      state.pointing = onIt;
      if (onIt) press(host as HTMLElement, state, 'pointer');
      else state.press = null;
    }
  } else if (type === 'keydown') {
    const key = event as KeyboardEvent;
    if (!isActivationKey(key) || key.repeat) return;
    const ready = state.userFocus && state.root.activeElement === state.button;
    if (ready) press(host as HTMLElement, state, 'key');
    else state.press = null;
  } else if (type === 'click') {
    pressedIn = null;
    event.preventDefault();
    const done = state.press;
    state.press = null;
    if (!done) return;
    const byKey = (event as MouseEvent).detail === 0;
    const valid = byKey ? done.via === 'key' : done.via === 'pointer' && onButton(state, event as MouseEvent);
    if (valid) done.act();
  }
}

const listening = new WeakSet<ScriptContext>();

/** Starts the event handling of every Pay host (idempotent; removed with `ctx`). */
export function listenToPayHosts(ctx: ScriptContext): void {
  if (listening.has(ctx)) return;
  listening.add(ctx);
  for (const type of [...STOPPED, ...WATCHED])
    ctx.addEventListener(document, type, onEvent, { capture: true });
}

/** "Pay @alice" / "Payer @alice". */
export function payLabel(handle: string, lang: Lang): string {
  return `${lang === 'fr' ? 'Payer' : 'Pay'} @${handle}`;
}

export interface PayHostOptions {
  variant: PayButtonVariant;
  label: string;
  theme: Theme;
  /**
   * Called when the user presses the button (trusted, see above): reads the page and returns what the click
   * that follows will do, with the target fixed now; null refuses (that click does nothing).
   */
  onPress: (host: HTMLElement) => (() => void) | null;
}

interface Press {
  via: 'pointer' | 'key';
  act: () => void;
}

interface Mounted {
  options: PayHostOptions;
  root: ShadowRoot;
  button: HTMLButtonElement;
  /** The press waiting for its click. */
  press: Press | null;
  /** A trusted pointerdown on the button: the focus it moves there is the user's. */
  pointing: boolean;
  /** The button has a focus the user gave it. */
  userFocus: boolean;
}

const mounted = new WeakMap<Element, Mounted>();
/** The one button each shadow root holds (its icon comes from the style sheet), cloned for each host. */
let prototype: HTMLButtonElement | null = null;
/**
 * One constructed style sheet shared by every shadow root (no per-button CSS parsing) where the browser lets a
 * content script adopt it (Chromium); elsewhere (Firefox's Xray wrappers refuse it) a `<style>` per root.
 */
let shared: CSSStyleSheet | null | undefined;
let adopted = false;

function adoptStyles(root: ShadowRoot): boolean {
  if (shared === undefined) {
    try {
      shared = new CSSStyleSheet();
      shared.replaceSync(CSS);
    } catch {
      shared = null;
    }
  }
  if (!shared) return false;
  try {
    root.adoptedStyleSheets = [shared];
    // Checked once: where adopting works, it works for every root.
    adopted ||= root.adoptedStyleSheets.length === 1;
    if (!adopted) shared = null;
    return adopted;
  } catch {
    shared = null;
    return false;
  }
}

function label(button: HTMLButtonElement, text: string): void {
  button.setAttribute('aria-label', text);
  button.title = text;
}

/**
 * An empty host per variant and theme, with its attributes set: each new host is a shallow clone of one. `html` is
 * its serialization, what a host of ours still reads as when the page changed nothing on it (`untouched`).
 */
const hostPrototypes = new Map<string, { el: HTMLElement; html: string }>();

function hostPrototype(variant: PayButtonVariant, theme: Theme): { el: HTMLElement; html: string } {
  const key = `${variant} ${theme}`;
  let proto = hostPrototypes.get(key);
  if (!proto) {
    const el = document.createElement('div');
    el.setAttribute(PAY_HOST_ATTR, variant);
    el.setAttribute('data-theme', theme);
    proto = { el, html: el.outerHTML };
    hostPrototypes.set(key, proto);
  }
  return proto;
}

/**
 * Hosts of X's timeline cells, oldest first, kept for reuse once X has unmounted their cell: scrolling, X drops the
 * cells that left the view and renders new ones, and making a host (its shadow root, style sheet and button) is
 * most of the cost of a button (docs/x-drift.md "Cost"). Only hosts of the same variant that this script made and
 * did not remove itself, to which the page added or changed nothing (`untouched`), come back.
 */
const recent: HTMLElement[] = [];
/** Enough for the cells X keeps mounted around the view; an unmounted cell is held at most that long. */
const RECENT_MAX = 64;

/**
 * A host out of the page (X unmounted its cell), made ready for a new post: no press pending, no focus, the new
 * label (inserting it moves it out of the old cell). A button in the page never changes what it pays; a host out of
 * the page is a fresh button for whoever it goes to next (the caller records its new target). Null when none is free.
 */
function reuseHost(options: PayHostOptions): HTMLElement | null {
  // The oldest host is the one most likely gone (X unmounts the cells above the view first); one still in the
  // page goes to the end of the line, and at most two are looked at.
  for (let tries = 0; tries < 2 && recent.length; tries++) {
    const host = recent.shift() as HTMLElement;
    if (host.isConnected) {
      recent.push(host);
      continue;
    }
    const state = mounted.get(host);
    // Not removed from the unmounted cell here: the caller's insertion moves it out (one call into the DOM less).
    if (!state || state.options.variant !== options.variant || !untouched(host, state.options)) continue;
    if (state.options.theme !== options.theme) host.setAttribute('data-theme', options.theme);
    if (state.options.label !== options.label) label(state.button, options.label);
    Object.assign(state, { options, press: null, pointing: false, userFocus: false });
    return host;
  }
  return null;
}

/**
 * True when the host is exactly as this script made it, its prototype's serialization: the attributes it set, in
 * its order, with its values, and no child in the page's DOM. One call into the DOM (the closed shadow root is not
 * serialized).
 */
function untouched(host: Element, { variant, theme }: PayHostOptions): boolean {
  return host.outerHTML === hostPrototype(variant, theme).html;
}

/** A Pay host out of the page, for the caller to insert: a new one, or one whose cell X unmounted. */
export function createPayHost(options: PayHostOptions): HTMLElement {
  const host = reuseHost(options) ?? newPayHost(options);
  recent.push(host);
  if (recent.length > RECENT_MAX) recent.shift();
  return host;
}

function newPayHost(options: PayHostOptions): HTMLElement {
  const host = hostPrototype(options.variant, options.theme).el.cloneNode() as HTMLElement;
  const root = host.attachShadow({ mode: 'closed' });
  if (!adoptStyles(root)) {
    const style = document.createElement('style');
    style.textContent = CSS;
    root.append(style);
  }
  prototype ??= Object.assign(document.createElement('button'), { type: 'button' });
  const button = prototype.cloneNode() as HTMLButtonElement;
  button.className = options.variant;
  label(button, options.label);
  root.append(button);
  mounted.set(host, { options, root, button, press: null, pointing: false, userFocus: false });
  return host;
}

/** Updates a host's label (its language) or theme when they changed; never what it pays. */
export function updatePayHost(host: Element, patch: Partial<Pick<PayHostOptions, 'label' | 'theme'>>): void {
  const state = mounted.get(host);
  if (!state) return;
  const { options } = state;
  if (patch.theme && patch.theme !== options.theme) host.setAttribute('data-theme', patch.theme);
  if (patch.label && patch.label !== options.label) label(state.button, patch.label);
  state.options = { ...options, ...patch };
}

/** True for hosts created here (a host forged by the page, or a clone of ours, is not). */
export function isOurHost(host: Element): boolean {
  return mounted.has(host);
}

/** Where each removed host of ours was (see `pressedIn`). */
const formerParent = new WeakMap<Element, Element | null>();

/** True for a host this script removed itself (`removePayHost`); false for one of ours the page removed. */
export function isRemovedHost(node: Node): boolean {
  return formerParent.has(node as Element) && !mounted.has(node as Element);
}

/** Removes a host. */
export function removePayHost(host: Element): void {
  if (mounted.delete(host)) formerParent.set(host, host.parentElement);
  host.remove();
}
