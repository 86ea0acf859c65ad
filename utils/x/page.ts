/**
 * Pure parsers of X pages: DOM or URL in, data out. No side effects, no `browser.*`; the document or element
 * is always a parameter, so they run on the offline fixtures under happy-dom (page.test.ts).
 * They fail closed: whenever the recipient is not certain they return `null` (the wrong recipient is the
 * costliest bug class).
 */
import { HANDLE_PATTERN, HANDLE_RE, isReservedPath, TWEET_ID_RE, X_ID_PATTERN } from '../../core/x-ids';
import * as s from './selectors';

/** What a Pay button on a post pays: the post's (original) author, about this post. */
export interface PostTarget {
  tweetId: string;
  authorHandle: string;
}

export type Theme = 'light' | 'dark';
export type { Lang } from '../../core/lang';
import type { Lang } from '../../core/lang';

/** `/<handle>` and its tabs (CPFT `URL_PROFILE_RE`); anything deeper (a status, /photo) is not the profile page. */
const PROFILE_PATH_RE = new RegExp(
  `^/(${HANDLE_PATTERN})(?:/(?:affiliates|with_replies|superfollows|highlights|articles|media|likes))?/?$`,
);
const STATUS_PATH_RE = new RegExp(`^/(?:(${HANDLE_PATTERN})|i(?:/web)?)/status/(${X_ID_PATTERN})(?:/.*)?$`);
const HANDLE_TEXT_RE = new RegExp(`^@(${HANDLE_PATTERN})$`);
const HANDLE_PATH_RE = new RegExp(`^/(${HANDLE_PATTERN})/?$`);

/**
 * The path of a link: a plain root-relative href (what X renders) as is, anything else through `URL` (which
 * also handles the absolute hrefs of saved pages). Null when it cannot be parsed.
 */
function pathOf(href: string, base = 'https://x.com'): string | null {
  if (/^\/(?!\/)[^?#\\%]*$/.test(href)) return href;
  try {
    return new URL(href, base).pathname;
  } catch {
    return null;
  }
}

/** `/alice`, `https://x.com/alice` → `alice`; a reserved page or anything else → null. */
export function handleFromHref(href: string | null, base = 'https://x.com'): string | null {
  if (!href) return null;
  const path = pathOf(href, base);
  if (path === null) return null;
  const m = HANDLE_PATH_RE.exec(path);
  return m?.[1] && !isReservedPath(m[1]) ? m[1] : null;
}

/** The profile whose page `pathname` is (`/alice`, `/alice/media` …), or null for any other page. */
export function profileHandleFromPath(pathname: string): string | null {
  const m = PROFILE_PATH_RE.exec(pathname);
  return m?.[1] && !isReservedPath(m[1]) ? m[1] : null;
}

/** `{ handle, tweetId }` of a status permalink (`/alice/status/1`, `/i/status/1`, `/i/web/status/1`), else null. */
export function statusFromPath(pathname: string): { handle: string | null; tweetId: string } | null {
  const m = STATUS_PATH_RE.exec(pathname);
  if (!m?.[2]) return null;
  const handle = m[1] && !isReservedPath(m[1]) ? m[1] : null;
  if (m[1] && !handle) return null;
  return { handle, tweetId: m[2] };
}

/** Case-insensitive handle equality (X handles are case-insensitive). */
export function sameHandle(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

/** True when `el` sits inside a quoted post of `article` (a `div[role=link]` below the article). */
function inQuote(el: Element, article: Element): boolean {
  const quote = el.closest(s.QUOTE);
  return !!quote && quote !== article && article.contains(quote);
}

/** True when `el` belongs to `article` itself (not to a nested article, not to a quote). */
function ownedBy(el: Element, article: Element): boolean {
  return el.closest(s.ARTICLE) === article && !inQuote(el, article);
}

/** The post's own `User-Name` block (not a quoted post's). */
function authorBlock(article: Element): Element | null {
  for (const el of article.querySelectorAll(s.USER_NAME)) if (ownedBy(el, article)) return el;
  return null;
}

/**
 * Every "@name" a text shows (ASCII or fullwidth at sign, not inside a word or an e-mail address). Names
 * longer than a handle are kept too, so that they count as disagreeing.
 */
const MENTION_RE = /(?<![\w@＠])[@＠](\w+)/g; // \w is a handle character (core/x-ids.ts)

/**
 * The handle a post's `User-Name` block visibly shows: its "@handle" text. Null unless the block has one, and
 * every "@name" anywhere in the block (a display name that reads "@someone", a second handle text) names that
 * same handle: what the user reads as the author must be the only candidate.
 */
export function visibleHandle(block: Element): string | null {
  let shown: string | null = null;
  const mentioned: string[] = [];
  const walker = block.ownerDocument.createTreeWalker(block, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue ?? '';
    if (!text.includes('@') && !text.includes('＠')) continue;
    const exact = HANDLE_TEXT_RE.exec(text.trim())?.[1];
    if (exact) {
      if (shown && !sameHandle(shown, exact)) return null;
      shown = exact;
    }
    for (const m of text.matchAll(MENTION_RE)) if (m[1]) mentioned.push(m[1]);
  }
  if (!shown) return null;
  return mentioned.every((name) => sameHandle(name, shown)) ? shown : null;
}

/**
 * `{ tweetId, authorHandle }` of a post (`article[data-testid=tweet]`). For a repost, the original author
 * (`User-Name` is theirs). The author is the handle the post visibly shows (`visibleHandle`); null unless every
 * profile link of the author block, the avatar (its test id and its link) and the permalink name that same
 * handle. What the user reads, what X links to and what the button pays are then one and the same.
 */
export function parsePost(article: Element): PostTarget | null {
  const block = authorBlock(article);
  const authorHandle = block && visibleHandle(block);
  if (!block || !authorHandle) return null;
  let linked = false;
  for (const a of block.querySelectorAll('a[href]')) {
    const path = pathOf(a.getAttribute('href') ?? '');
    const handle = path === null ? null : (profileHandleFromPath(path) ?? statusFromPath(path)?.handle);
    if (!handle) continue;
    if (!sameHandle(handle, authorHandle)) return null;
    linked = true;
  }
  if (!linked) return null;
  for (const avatar of article.querySelectorAll(s.AVATAR_CONTAINER)) {
    if (!ownedBy(avatar, article)) continue;
    const fromAvatar = avatar.getAttribute('data-testid')?.slice(s.AVATAR_CONTAINER_PREFIX.length);
    if (!sameHandle(fromAvatar, authorHandle)) return null;
    const link = avatar.closest('a[href]');
    if (
      link &&
      article.contains(link) &&
      !sameHandle(handleFromHref(link.getAttribute('href')), authorHandle)
    )
      return null;
  }
  for (const time of article.querySelectorAll(s.TIME)) {
    const link = time.closest('a[href]');
    if (!link || !ownedBy(link, article)) continue;
    const path = pathOf(link.getAttribute('href') ?? '');
    if (path === null) return null;
    const status = statusFromPath(path);
    if (!status || !sameHandle(status.handle, authorHandle) || !TWEET_ID_RE.test(status.tweetId)) return null;
    return { tweetId: status.tweetId, authorHandle };
  }
  return null;
}

/** True when two targets pay the same author about the same post. */
export function sameTarget(a: PostTarget | null | undefined, b: PostTarget | null | undefined): boolean {
  return !!a && !!b && a.tweetId === b.tweetId && sameHandle(a.authorHandle, b.authorHandle);
}

/**
 * What a Pay button on `article` should pay, or null when the post gets none: a promoted post (an *ancestor*
 * `placementTracking`), a nested (quoted) article, a post in a `UserCell` or hover card, your own post, or a
 * post whose author cannot be established.
 */
export function postPayTarget(article: Element, ownHandle: string | null): PostTarget | null {
  if (article.parentElement?.closest(s.ARTICLE)) return null;
  if (article.closest(`${s.PLACEMENT_TRACKING}, ${s.USER_CELL}, ${s.HOVER_CARD}`)) return null;
  const target = parsePost(article);
  if (!target || sameHandle(target.authorHandle, ownHandle)) return null;
  return target;
}

/** The post's own action bar (`div[role=group]` whose closest article is the post; quotes have none). */
export function findActionBar(article: Element): Element | null {
  let found: Element | null = null;
  for (const group of article.querySelectorAll(s.ACTION_BAR)) if (ownedBy(group, article)) found = group;
  return found;
}

/** The signed-in user's handle, from the primary nav; null when logged out. */
export function ownHandle(doc: Document): string | null {
  const link = doc.querySelector(s.OWN_PROFILE_LINK);
  const fromLink = handleFromHref(link?.getAttribute('href') ?? null);
  if (fromLink) return fromLink;
  const avatar = doc.querySelector(s.ACCOUNT_SWITCHER_AVATAR)?.getAttribute('data-testid');
  const fromAvatar = avatar?.slice(s.AVATAR_CONTAINER_PREFIX.length);
  return fromAvatar && HANDLE_RE.test(fromAvatar) ? fromAvatar : null;
}

/** The UI language from `<html lang>` (prefix: `fr-CA` is French); anything but French is English. */
export function pageLang(doc: Document): Lang {
  return doc.documentElement.lang.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** Relative luminance (0–1) of a CSS `rgb()`/`rgba()` colour, or null when it cannot be read. */
export function luminance(color: string): number | null {
  const m = /^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)(?:[,\s/]+([\d.]+%?))?\s*\)$/.exec(color.trim());
  if (!m) return null;
  if (m[4] !== undefined && Number(m[4].replace('%', '')) === 0) return null; // transparent: unknown
  const [r, g, b] = [m[1], m[2], m[3]].map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Light or dark, from the luminance of the body background (X sets it inline: white, black, or the
 * high-contrast near-black; CPFT's re-created Dim sits over a black body). The inline style is read first
 * because it needs no style recalculation; the computed style is the fallback.
 */
export function pageTheme(doc: Document): Theme {
  const body = doc.body;
  if (!body) return 'light';
  let lum = luminance(body.style.backgroundColor);
  if (lum === null) {
    const view = doc.defaultView;
    lum = view ? luminance(view.getComputedStyle(body).backgroundColor) : null;
  }
  return lum !== null && lum < 0.4 ? 'dark' : 'light';
}

/** The handle shown in a profile header's `UserName` block (its last "@handle" text). */
export function headerHandle(userName: Element): string | null {
  let found: string | null = null;
  const walker = userName.ownerDocument.createTreeWalker(userName, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const m = HANDLE_TEXT_RE.exec(node.nodeValue?.trim() ?? '');
    if (m?.[1]) found = m[1];
  }
  return found;
}

/** Where a profile Pay button goes: before `anchor` (the Follow button's wrapper) in the header action row. */
export type ProfileSlot =
  { kind: 'other'; handle: string; anchor: Element } | { kind: 'own' } | { kind: 'none' };

/** True for elements that are not the profile header even if they sit in the primary column. */
function outsideHeader(el: Element): boolean {
  return !!el.closest(
    `${s.USER_CELL}, ${s.ARTICLE}, ${s.HOVER_CARD}, ${s.LAYERS}, [data-testid="cellInnerDiv"]`,
  );
}

/**
 * The profile header's Pay slot for the page at `pathname`: the handle comes from the URL and must match the
 * header's "@handle"; the button goes before the Follow button's `placementTracking` wrapper.
 */
export function profileSlot(doc: Document, pathname: string): ProfileSlot {
  const handle = profileHandleFromPath(pathname);
  const column = handle ? doc.querySelector(s.PRIMARY_COLUMN) : null;
  if (!handle || !column) return { kind: 'none' };
  const userName = [...column.querySelectorAll(s.PROFILE_USER_NAME)].find((el) => !outsideHeader(el));
  if (!userName || !sameHandle(headerHandle(userName), handle)) return { kind: 'none' };
  const edit = [...column.querySelectorAll(s.EDIT_PROFILE_BUTTON)].find((el) => !outsideHeader(el));
  if (edit) return { kind: 'own' };
  const follow = [...column.querySelectorAll(s.FOLLOW_BUTTON)].find((el) => !outsideHeader(el));
  if (!follow) return { kind: 'none' };
  const wrapper = follow.closest(s.PLACEMENT_TRACKING);
  const anchor = wrapper && column.contains(wrapper) ? wrapper : follow;
  return anchor.parentElement ? { kind: 'other', handle, anchor } : { kind: 'none' };
}

/** The composer editor to fill: the one in the compose/reply dialog, else the first one in the page. */
export function findComposer(doc: Document): HTMLElement | null {
  return findDialogComposer(doc) ?? doc.querySelector<HTMLElement>(s.COMPOSER_EDITOR);
}

/** The first editor of the compose / reply modal, if it is open. */
export function findDialogComposer(doc: Document): HTMLElement | null {
  return doc.querySelector<HTMLElement>(`${s.DIALOG} ${s.COMPOSER_EDITOR}`);
}

/** The editor in the page itself (home's "What's happening?", a post page's reply box), outside any dialog. */
export function findInlineComposer(doc: Document): HTMLElement | null {
  for (const el of doc.querySelectorAll<HTMLElement>(`${s.PRIMARY_COLUMN} ${s.COMPOSER_EDITOR}`)) {
    if (!el.closest(s.DIALOG)) return el;
  }
  return null;
}

/** The post with id `tweetId` among the posts in the page (not quotes), if one is rendered. */
export function findPostById(doc: Document, tweetId: string): Element | null {
  for (const article of doc.querySelectorAll(s.POST)) {
    if (parsePost(article)?.tweetId === tweetId && !article.parentElement?.closest(s.ARTICLE)) return article;
  }
  return null;
}

/** The post's own Reply button (not a quoted post's). */
export function findReplyButton(article: Element): HTMLElement | null {
  for (const el of article.querySelectorAll<HTMLElement>(s.REPLY_BUTTON)) if (ownedBy(el, article)) return el;
  return null;
}

/** The Post / Reply button that goes with `editor` (the nearest one in its ancestors' subtree). */
export function findPostButton(editor: Element): HTMLElement | null {
  for (let el = editor.parentElement; el; el = el.parentElement) {
    const button = el.querySelector<HTMLElement>(s.POST_BUTTON);
    if (button) return button;
    if (el.matches(s.DIALOG)) return null;
  }
  return null;
}

/** True when the Post button can be pressed (X sets `disabled` and `aria-disabled` while it cannot). */
export function isPostButtonEnabled(button: Element | null): boolean {
  return !!button && !button.hasAttribute('disabled') && button.getAttribute('aria-disabled') !== 'true';
}

/** The text a Draft.js editor holds: its blocks' text joined by newlines. */
export function editorText(editor: Element): string {
  const blocks = editor.querySelectorAll(s.DRAFT_BLOCK);
  if (!blocks.length) return editor.textContent ?? '';
  return [...blocks].map((b) => b.textContent ?? '').join('\n');
}

/**
 * Where a composer the extension filled with `filled` stands: `same` (still that text), `changed` (other text:
 * the page or the user rewrote it), or `gone` (removed or emptied: posted, discarded).
 */
export function filledComposerState(editor: Element, filled: string): 'same' | 'changed' | 'gone' {
  if (!editor.isConnected) return 'gone';
  const text = editorText(editor);
  if (!text.trim()) return 'gone';
  return text === filled.replace(/\r\n?/g, '\n') ? 'same' : 'changed';
}
