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
// `i` first: `/i/status/<id>` names no handle (`i` is not one).
const STATUS_PATH_RE = new RegExp(`^/(?:i(?:/web)?|(${HANDLE_PATTERN}))/status/(${X_ID_PATTERN})(?:/.*)?$`);
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

/**
 * True when `el` belongs to `article` itself, not to a nested article nor to a quoted post (a `div[role=link]`)
 * inside it: the nearest post or quote around `el` is `article`. One walk up, which stops there.
 */
function ownedBy(el: Element, article: Element): boolean {
  return el.closest(s.POST_OR_QUOTE) === article;
}

/**
 * The first element matching `selector` that `article` owns, or what `pick` finds from it (the first one it finds
 * that the post owns). The first match is nearly always the post's own (a quoted post comes after its header), and
 * finding it stops the walk there: only when it is a quote's are the others looked at.
 */
function ownFirst(
  article: Element,
  selector: string,
  pick: (el: Element) => Element | null = (el) => el,
): Element | null {
  const first = article.querySelector(selector);
  if (!first) return null;
  const picked = pick(first);
  if (picked && ownedBy(picked, article)) return picked;
  const all = article.querySelectorAll(selector);
  for (let i = 1, n = all.length; i < n; i++) {
    const el = pick(all[i] as Element);
    if (el && ownedBy(el, article)) return el;
  }
  return null;
}

/** The post's own status permalink, and the link element that carries it. */
interface Permalink {
  link: Element;
  handle: string | null;
  tweetId: string;
}

/** The link's status, when its path is exactly a status permalink (not `/analytics`, `/photo/1` …). */
function permalinkOf(link: Element): Permalink | null {
  const path = pathOf(link.getAttribute('href') ?? '');
  if (path === null || !/^\/(?:[A-Za-z0-9_]{1,15}|i(?:\/web)?)\/status\/\d+\/?$/.test(path)) return null;
  const status = statusFromPath(path);
  return status && TWEET_ID_RE.test(status.tweetId) ? { link, ...status } : null;
}

/**
 * The post's own permalink, by two markers: the link around its `<time>` (the first one the post owns), else the
 * post's own links whose path is a status permalink, which must then all name the same post. Null when there
 * is none, when the timestamp link is not a permalink, or when the candidates disagree.
 */
function ownPermalink(article: Element): Permalink | null {
  const timeLink = ownFirst(article, s.TIME, (time) => time.closest('a[href]'));
  if (timeLink) return permalinkOf(timeLink);
  let found: Permalink | null = null;
  const links = article.querySelectorAll(s.STATUS_LINK);
  for (let i = 0, n = links.length; i < n; i++) {
    const link = links[i] as Element;
    if (!ownedBy(link, article)) continue;
    const p = permalinkOf(link);
    if (!p) continue;
    if (found && (found.tweetId !== p.tweetId || (found.handle ?? '') !== (p.handle ?? ''))) return null;
    found ??= p;
  }
  return found;
}

/**
 * The post's own author block, by two markers: the `User-Name` test id (not a quoted post's), else the nearest
 * element around the permalink that shows an "@handle" (X puts the name, the handle and the time in one row).
 */
function authorBlock(article: Element, permalink: Permalink): Element | null {
  const own = ownFirst(article, s.USER_NAME);
  if (own) return own;
  for (let el = permalink.link.parentElement; el && el !== article; el = el.parentElement) {
    if (headerHandle(el, false)) return el;
  }
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
      continue; // the text is that "@handle" and nothing else: it mentions no one else
    }
    for (const m of text.matchAll(MENTION_RE)) if (m[1]) mentioned.push(m[1]);
  }
  if (!shown) return null;
  return mentioned.every((name) => sameHandle(name, shown)) ? shown : null;
}

/**
 * How many of the avatar's markers name `handle`: its handle-keyed container test id and its profile links (each
 * one the post owns). -1 when one of them names someone else. The markers are looked for inside the post's own
 * avatar wrapper (`Tweet-User-Avatar`, the first one the post owns) when it has one, which is small; only when that
 * test id is gone, in the whole post (a query for a test id prefix over every element of the post costs several
 * times more).
 */
function avatarAgrees(article: Element, handle: string): number {
  let agreeing = 0;
  const wrapper = ownFirst(article, s.AVATAR_WRAPPER);
  if (wrapper) {
    // Indexed loops over the node lists: each step of a `for…of` crosses into the DOM twice.
    const links = wrapper.querySelectorAll('a[href]');
    for (let j = 0, m = links.length; j < m; j++) {
      agreeing++;
      if (!sameHandle(handleFromHref((links[j] as Element).getAttribute('href')), handle)) return -1;
    }
    const containers = wrapper.querySelectorAll(s.AVATAR_CONTAINER);
    for (let j = 0, m = containers.length; j < m; j++) {
      agreeing++;
      if (!sameHandle(containerHandle(containers[j] as Element), handle)) return -1;
    }
    return agreeing;
  }
  for (const container of article.querySelectorAll(s.AVATAR_CONTAINER)) {
    if (!ownedBy(container, article)) continue;
    agreeing++;
    if (!sameHandle(containerHandle(container), handle)) return -1;
    // The profile link around the container, if it is the post's.
    const link = container.closest('a[href]');
    if (!link || !article.contains(link)) continue;
    agreeing++;
    if (!sameHandle(handleFromHref(link.getAttribute('href')), handle)) return -1;
  }
  return agreeing;
}

/** The handle an avatar container's test id is keyed by (`UserAvatar-Container-<handle>`). */
function containerHandle(container: Element): string | undefined {
  return container.getAttribute('data-testid')?.slice(s.AVATAR_CONTAINER_PREFIX.length);
}

/**
 * `{ tweetId, authorHandle }` of a post. For a repost, the original author (the author block is theirs).
 * The author is the handle the post visibly shows (`visibleHandle` of its author block), and every signal that
 * names an author must agree with it: each profile link of the author block (at least one), the avatar (its
 * test id and its link) and the permalink. A permalink that names no handle (`/i/status/<id>`) is accepted only
 * when the avatar names the author too. Any disagreement, or a missing signal: null.
 */
export function parsePost(article: Element): PostTarget | null {
  const permalink = ownPermalink(article);
  const block = permalink && authorBlock(article, permalink);
  const authorHandle = block && visibleHandle(block);
  if (!permalink || !block || !authorHandle) return null;
  if (permalink.handle !== null && !sameHandle(permalink.handle, authorHandle)) return null;
  let linked = false;
  const links = block.querySelectorAll('a[href]');
  for (let i = 0, n = links.length; i < n; i++) {
    const path = pathOf((links[i] as Element).getAttribute('href') ?? '');
    if (path === null) continue;
    const profile = profileHandleFromPath(path);
    const handle = profile ?? statusFromPath(path)?.handle;
    if (!handle) continue;
    if (!sameHandle(handle, authorHandle)) return null;
    if (profile) linked = true;
  }
  if (!linked) return null;
  const avatars = avatarAgrees(article, authorHandle);
  if (avatars < 0 || (permalink.handle === null && avatars === 0)) return null;
  return { tweetId: permalink.tweetId, authorHandle };
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
  // One call, one walk up: the post is itself such a block, or has an article around it (it is a quoted one) or a
  // promoted / who-to-follow / hover-card block.
  if (article.matches(s.NOT_IN_TIMELINE_OR_NESTED)) return null;
  const target = parsePost(article);
  if (!target || sameHandle(target.authorHandle, ownHandle)) return null;
  return target;
}

/**
 * The post's own action bar, by two markers: the row that holds the post's own action buttons (reply, repost,
 * like, bookmark test ids; the innermost `role=group` around them when there is one), else its last own
 * `role=group`. Quotes have none.
 */
export function findActionBar(article: Element): Element | null {
  let group: Element | null = null;
  const groups = article.querySelectorAll(s.ACTION_BAR);
  for (let i = groups.length - 1; i >= 0 && !group; i--) {
    const el = groups[i] as Element;
    if (ownedBy(el, article)) group = el;
  }
  // The usual case, cheaply: the post's last own group holds its action buttons (both markers agree).
  if (group?.querySelector(s.ACTION_BUTTONS)) return group;
  let row: Element | null = null;
  let count = 0;
  for (const button of article.querySelectorAll(s.ACTION_BUTTONS)) {
    if (!ownedBy(button, article)) continue;
    count++;
    if (!row) row = button.parentElement;
    else while (row && !row.contains(button)) row = row.parentElement;
  }
  if (row && count >= 2 && row !== article && article.contains(row)) {
    const around = row.closest(s.ACTION_BAR);
    return around && around !== article && article.contains(around) ? around : row;
  }
  return group;
}

/**
 * The signed-in user's handle, from the primary nav; null when logged out. `seen`, if given, keeps the nav's
 * profile link between calls: it is looked for again only once X replaced it (its `href` is read every time).
 */
export function ownHandle(doc: Document, seen?: { link: Element | null }): string | null {
  let link = seen?.link;
  if (!link?.isConnected || !link.matches(s.OWN_PROFILE_LINK)) {
    link = doc.querySelector(s.OWN_PROFILE_LINK);
    if (seen) seen.link = link;
  }
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

/**
 * The handle a block shows as "@handle" texts: the first one (`strict`: the only one — every such text must name
 * it, else null). For a profile header's `UserName` block, its handle.
 */
export function headerHandle(block: Element, strict = true): string | null {
  let found: string | null = null;
  const walker = block.ownerDocument.createTreeWalker(block, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const m = HANDLE_TEXT_RE.exec(node.nodeValue?.trim() ?? '');
    if (!m?.[1]) continue;
    if (!strict) return m[1];
    if (found && !sameHandle(found, m[1])) return null;
    found = m[1];
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
 * The profile header's Pay slot for the page at `pathname`. The handle comes from the URL and must be the one the
 * header shows: its `UserName` block's "@handle", else (that test id gone) the only "@handle" shown around the
 * Follow button. The Follow button is found by its test id or by its accessible name ending in "@handle"; the
 * Pay button goes before its `placementTracking` wrapper.
 */
export function profileSlot(doc: Document, pathname: string): ProfileSlot {
  const handle = profileHandleFromPath(pathname);
  const column = handle ? doc.querySelector(s.PRIMARY_COLUMN) : null;
  if (!handle || !column) return { kind: 'none' };
  const inHeader = (selector: string) =>
    [...column.querySelectorAll(selector)].find((el) => !outsideHeader(el)) ?? null;
  const userName = inHeader(s.PROFILE_USER_NAME);
  if (userName && !sameHandle(headerHandle(userName), handle)) return { kind: 'none' };
  const edit = inHeader(s.EDIT_PROFILE_BUTTON);
  const follow = edit ? null : (inHeader(s.FOLLOW_BUTTON) ?? inHeader(s.followButtonOf(handle)));
  const action = edit ?? follow;
  if (!action) return { kind: 'none' };
  if (!userName) {
    // The header is the nearest block around its action button that shows a handle: it must be this one.
    let block: Element | null = action.parentElement;
    while (block && block !== column && !headerHandle(block, false)) block = block.parentElement;
    if (!block || block === column || !sameHandle(headerHandle(block), handle)) return { kind: 'none' };
  }
  if (edit || !follow) return { kind: 'own' };
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
  for (const el of doc.querySelectorAll<HTMLElement>(s.COMPOSER_EDITOR)) if (el.closest(s.DIALOG)) return el;
  return null;
}

/** The editor in the page itself (home's "What's happening?", a post page's reply box), outside any dialog. */
export function findInlineComposer(doc: Document): HTMLElement | null {
  for (const el of doc.querySelectorAll<HTMLElement>(s.COMPOSER_EDITOR)) {
    if (el.closest(s.PRIMARY_COLUMN) && !el.closest(s.DIALOG)) return el;
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
