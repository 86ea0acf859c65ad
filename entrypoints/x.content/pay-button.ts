/**
 * The in-page Pay button, in its own shadow root so X's styles cannot reach it and ours cannot leak. The host
 * carries the test hook `data-tweetez-payez="tweet|profile"` (docs/ARCHITECTURE.md "Test hooks") and `data-theme`; inside
 * is one `button` named "Pay @handle" / "Payer @handle".
 *
 * Plain DOM, not Preact: the button is one element with an icon, and Preact alone (≈ 5 KB gzip) would take the
 * content script over its 12 KB budget (measured by `npm run bench:content`); cloning a prepared fragment is also
 * the cheapest way to add hundreds of them while scrolling.
 *
 * Clicks are not consent, and they are ours: only trusted clicks (a real user, keyboard included) on the button
 * reach `onActivate`; `el.click()` from the page is dropped. Pointer, mouse and key events aimed at a host stop at
 * the document, in the capture phase, before any element of the page (X's own handlers, which open the post when
 * anything in its article is clicked, or react to Enter) sees them. One set of listeners serves every host:
 * nothing to add per button.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Lang, Theme } from '../../utils/x/page';
import { PAY_HOST_ATTR } from '../../utils/x/selectors';

export type PayButtonVariant = 'tweet' | 'profile';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** A coin with a euro sign, on X's 24-unit icon grid so it sits with X's outline icons. */
const ICON = [
  'M12 1.75C6.34 1.75 1.75 6.34 1.75 12S6.34 22.25 12 22.25 22.25 17.66 22.25 12 17.66 1.75 12 1.75zm0 18.5c-4.56 0-8.25-3.69-8.25-8.25S7.44 3.75 12 3.75s8.25 3.69 8.25 8.25-3.69 8.25-8.25 8.25z',
  'M15.2 8.2a4 4 0 0 0-2.2-.7c-1.9 0-3.4 1.2-3.9 2.9H8v1.3h.9v.6H8v1.3h1.1c.5 1.7 2 2.9 3.9 2.9.8 0 1.6-.2 2.2-.7l-.6-1.2c-.5.3-1 .5-1.6.5-1.1 0-2.1-.6-2.5-1.5h2.6v-1.3h-2.9v-.6h2.9v-1.3h-2.6c.4-.9 1.4-1.5 2.5-1.5.6 0 1.1.2 1.6.5z',
];

/**
 * X's look, per theme: action icons 18.75 px in the secondary text colour, a round tinted hover,
 * X's light-blue focus ring; the profile variant is X's 36 px outlined round button (like "Message").
 */
const CSS = `
:host{display:flex;align-items:center;flex:0 0 auto;--fg:#536471;--text:#0f1419;--border:#cfd9de;
--hover:rgba(15,20,25,.1);--tint:#00ba7c;--tint-bg:rgba(0,186,124,.1);--ring:#8ecdf8}
:host([data-theme=dark]){--fg:#71767b;--text:#eff3f4;--border:#536471;--hover:rgba(239,243,244,.1)}
button{all:unset;box-sizing:border-box;display:inline-flex;align-items:center;justify-content:center;
border-radius:9999px;cursor:pointer;transition:color .2s,background-color .2s,box-shadow .2s}
button:focus-visible{box-shadow:0 0 0 2px var(--ring)}
svg{fill:currentColor;pointer-events:none}
.tweet{width:34.75px;height:34.75px;margin:-8px -8px -8px 4px;color:var(--fg)}
.tweet svg{width:18.75px;height:18.75px}
.tweet:hover,.tweet:focus-visible{color:var(--tint);background-color:var(--tint-bg)}
.profile{width:36px;height:36px;margin-right:8px;border:1px solid var(--border);color:var(--text)}
.profile svg{width:20px;height:20px}
.profile:hover{background-color:var(--hover)}`;

const STOPPED = [
  'click',
  'auxclick',
  'mousedown',
  'mouseup',
  'pointerdown',
  'pointerup',
  'keydown',
  'keyup',
] as const;

/**
 * Seen at the document in the capture phase, an event from inside a host's shadow root has the host as its
 * target. Ours: stopped there; a trusted click that started inside the shadow root (on the button) activates.
 */
function onHostEvent(event: Event): void {
  const host = event.target;
  if (!(host instanceof HTMLElement)) return;
  const state = mounted.get(host);
  if (!state) return;
  event.stopPropagation();
  if (event.type !== 'click') return;
  event.preventDefault();
  if (event.isTrusted && state.button.contains(event.composedPath()[0] as Node))
    state.options.onActivate(host);
}

const listening = new WeakSet<ContentScriptContext>();

/** Starts the event handling of every Pay host (idempotent; removed with `ctx`). */
export function listenToPayHosts(ctx: ContentScriptContext): void {
  if (listening.has(ctx)) return;
  listening.add(ctx);
  for (const type of STOPPED) ctx.addEventListener(document, type, onHostEvent, { capture: true });
}

/** "Pay @alice" / "Payer @alice". */
export function payLabel(handle: string, lang: Lang): string {
  return `${lang === 'fr' ? 'Payer' : 'Pay'} @${handle}`;
}

export interface PayHostOptions {
  variant: PayButtonVariant;
  label: string;
  theme: Theme;
  /** Called with the host on a trusted activation only. */
  onActivate: (host: HTMLElement) => void;
}

interface Mounted {
  options: PayHostOptions;
  button: HTMLButtonElement;
}

const mounted = new WeakMap<Element, Mounted>();
let prototype: DocumentFragment | null = null;
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

/** The shadow contents (style + button + icon), built once and cloned for each host. */
function shadowContents(withStyle: boolean): DocumentFragment {
  if (!prototype) {
    prototype = document.createDocumentFragment();
    const button = document.createElement('button');
    button.type = 'button';
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    for (const d of ICON) {
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', d);
      svg.append(path);
    }
    button.append(svg);
    prototype.append(button);
  }
  const contents = prototype.cloneNode(true) as DocumentFragment;
  if (withStyle) {
    const style = document.createElement('style');
    style.textContent = CSS;
    contents.prepend(style);
  }
  return contents;
}

function label(button: HTMLButtonElement, text: string): void {
  button.setAttribute('aria-label', text);
  button.title = text;
}

/** A new, detached Pay host (the caller inserts it). */
export function createPayHost(options: PayHostOptions): HTMLElement {
  const host = document.createElement('div');
  host.setAttribute(PAY_HOST_ATTR, options.variant);
  host.setAttribute('data-theme', options.theme);
  const root = host.attachShadow({ mode: 'open' });
  const contents = shadowContents(!adoptStyles(root));
  const button = contents.querySelector('button') as HTMLButtonElement;
  button.className = options.variant;
  label(button, options.label);
  root.append(contents);
  mounted.set(host, { options, button });
  return host;
}

/** Updates a host's label or theme when they changed. */
export function updatePayHost(host: Element, patch: Partial<Pick<PayHostOptions, 'label' | 'theme'>>): void {
  const state = mounted.get(host);
  if (!state) return;
  const { options } = state;
  if (patch.theme && patch.theme !== options.theme) host.setAttribute('data-theme', patch.theme);
  if (patch.label && patch.label !== options.label) label(state.button, patch.label);
  state.options = { ...options, ...patch };
}

/** True for hosts created here (a host forged by the page is not). */
export function isOurHost(host: Element): boolean {
  return mounted.has(host);
}

/** Removes a host. */
export function removePayHost(host: Element): void {
  mounted.delete(host);
  host.remove();
}
