/**
 * pay-on-tweet: exactly one Pay button at the end of each eligible post's own action bar.
 * Not on promoted posts, your own posts, quoted posts or UserCell rows; a repost pays the original author
 * (utils/x/page.ts `postPayTarget`). Idempotent per article, so it survives cells unmounting and remounting, a
 * cell node reused for another post (its links change: observed), re-renders and infinite loading.
 *
 * Who is paid: the author the post visibly shows, when its links, avatar and permalink agree (else no button).
 * A button pays the target it was made for, for good: when the post's author or id changes, the button is
 * removed and a new one made, never re-targeted. (A host whose whole cell X unmounted can come back, reset, as a
 * new button for another post: pay-button.ts `reuseHost`.) The target is fixed when the user presses the button,
 * and the click that follows pays only if the post still shows that same target (pay-button.ts: press, then click).
 */
import { sendMessage } from '../../utils/messaging';
import type { ScriptContext } from '../../utils/x/lifecycle';
import { ignoreAdded, ignoreRemoved, observe, onBatch, onNavigate } from '../../utils/x/observe';
import {
  findActionBar,
  ownHandle,
  pageLang,
  pageTheme,
  postPayTarget,
  sameTarget,
  type Lang,
  type PostTarget,
  type Theme,
} from '../../utils/x/page';
import { PAY_HOST, PAY_HOST_TWEET, POST, POST_QUICK } from '../../utils/x/selectors';
import {
  createPayHost,
  isOurHost,
  isRemovedHost,
  listenToPayHosts,
  payLabel,
  removePayHost,
  updatePayHost,
} from './pay-button';
import { onPayButtonsOn, payButtonsOn } from './pay-buttons-switch';

/** What each of our hosts pays (kept in the content script's world, out of the page's reach). */
const targets = new WeakMap<Element, PostTarget>();

/** The page's theme, re-read only when <body>'s style changes (reading it costs, and batches are many). */
let theme: Theme = 'light';

/** The page's language, re-read only when `<html lang>` changes. */
let lang: Lang = 'en';

/** The signed-in handle, read at most once per mutation batch (and re-read after a navigation). */
let own: { value: string | null } | null = null;
/** The nav's profile link it is read from (found again only when X replaced it). */
const ownLink: { link: Element | null } = { link: null };

function currentOwnHandle(): string | null {
  own ??= { value: ownHandle(document, ownLink) };
  return own.value;
}

/** True when `host` is our button in `article`'s own action bar, made for `target`. */
function holds(article: Element, host: Element, target: PostTarget | null): target is PostTarget {
  return (
    isOurHost(host) &&
    host.isConnected &&
    host.closest(POST) === article &&
    host.parentElement === findActionBar(article) &&
    sameTarget(targets.get(host), target)
  );
}

/**
 * At the user's press: the post must show, right now, the target the button was made for. That target is
 * fixed; the click that follows re-reads the post and pays only if it still shows it.
 */
function onPress(host: HTMLElement): (() => void) | null {
  const article = host.closest(POST);
  if (!article) return null;
  const pressed = postPayTarget(article, currentOwnHandle());
  if (!holds(article, host, pressed)) {
    sync(article); // the post changed or disagrees: its button goes (and comes back only if it is payable)
    return null;
  }
  return () => {
    own = null;
    if (!holds(article, host, postPayTarget(article, currentOwnHandle())) || !holds(article, host, pressed)) {
      sync(article);
      return;
    }
    sendMessage('requestPayment', {
      recipientHandle: pressed.authorHandle,
      tweetId: pressed.tweetId,
      source: 'tweet',
    }).catch(() => undefined);
  };
}

/**
 * Puts the article's Pay button in the right state: present, last in its bar, made for the post's target. Any
 * other host in the article goes: ours made for another target, extra ones, and look-alikes the page forged.
 */
function sync(article: Element): void {
  const target = payButtonsOn('posts') ? postPayTarget(article, currentOwnHandle()) : null;
  const bar = target ? findActionBar(article) : null;
  let keep: HTMLElement | null = null;
  // Most posts have no host yet: one query says so, and only when there is one are they all listed.
  const hosts = article.querySelector(PAY_HOST) ? article.querySelectorAll<HTMLElement>(PAY_HOST) : [];
  for (let i = 0, n = hosts.length; i < n; i++) {
    const host = hosts[i] as HTMLElement;
    const fits =
      !keep &&
      !!bar &&
      host.parentElement === bar &&
      isOurHost(host) &&
      sameTarget(targets.get(host), target);
    if (fits) keep = host;
    else removePayHost(host);
  }
  if (!target || !bar) return;
  const label = payLabel(target.authorHandle, lang);
  if (keep) {
    updatePayHost(keep, { label });
    if (bar.lastElementChild !== keep) bar.append(keep);
    return;
  }
  const host = createPayHost({ variant: 'tweet', label, theme, onPress });
  targets.set(host, target);
  bar.append(host);
}

/** Adds a Pay button to every eligible post's action bar. */
export function payOnTweet(ctx: ScriptContext): void {
  listenToPayHosts(ctx);
  ignoreAdded(ctx, isOurHost);
  ignoreRemoved(ctx, isRemovedHost);
  theme = pageTheme(document);
  lang = pageLang(document);
  onBatch(ctx, ({ styleChanged, langChanged }) => {
    own = null;
    if (!styleChanged && !langChanged) return;
    const nextTheme = styleChanged ? pageTheme(document) : theme;
    const nextLang = langChanged ? pageLang(document) : lang;
    if (nextTheme === theme && nextLang === lang) return;
    theme = nextTheme;
    lang = nextLang;
    for (const host of document.querySelectorAll<HTMLElement>(PAY_HOST_TWEET)) {
      const target = targets.get(host);
      if (target) updatePayHost(host, { theme, label: payLabel(target.authorHandle, lang) });
    }
  });
  onNavigate(ctx, () => {
    own = null;
  });
  observe(ctx, POST, sync, { quick: POST_QUICK });
  onPayButtonsOn('posts', () => {
    own = null;
    document.querySelectorAll(POST).forEach(sync);
  });
  ctx.onInvalidated(() => {
    for (const host of document.querySelectorAll<HTMLElement>(PAY_HOST_TWEET)) removePayHost(host);
  });
}

/*
 * Manual test: 1. open https://x.com/home  2. every post but ads and your own shows a coin icon after Share
 * 3. click it on a repost: the confirm window names the original author, and the post did not open.
 */
