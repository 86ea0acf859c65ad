/**
 * pay-on-tweet: exactly one Pay button at the end of each eligible post's own action bar.
 * Not on promoted posts, your own posts, quoted posts or UserCell rows; a repost pays the original author
 * (utils/x/page.ts `postPayTarget`). Idempotent per article, so it survives cells unmounting and remounting, a
 * cell node reused for another post (its links change: observed), re-renders and infinite loading.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { sendMessage } from '../../utils/messaging';
import { observe, onBatch, onNavigate } from '../../utils/x/observe';
import {
  findActionBar,
  ownHandle,
  pageLang,
  pageTheme,
  postPayTarget,
  type PostTarget,
  type Theme,
} from '../../utils/x/page';
import { PAY_HOST_TWEET, POST } from '../../utils/x/selectors';
import {
  createPayHost,
  isOurHost,
  listenToPayHosts,
  payLabel,
  removePayHost,
  updatePayHost,
} from './pay-button';

/** What each of our hosts pays (kept in the content script's world, out of the page's reach). */
const targets = new WeakMap<Element, PostTarget>();

/** The page's theme, re-read only when <body>'s style changes (reading it costs, and batches are many). */
let theme: Theme = 'light';

/** The signed-in handle, read at most once per mutation batch (and re-read after a navigation). */
let own: { value: string | null } | null = null;

function currentOwnHandle(): string | null {
  own ??= { value: ownHandle(document) };
  return own.value;
}

async function activate(host: HTMLElement): Promise<void> {
  // Re-read the post at click time: pay only if it still is the post the button names (fail closed).
  const article = host.closest(POST);
  const shown = targets.get(host);
  if (!article) return;
  const now = postPayTarget(article, currentOwnHandle());
  if (!shown || !now || now.authorHandle !== shown.authorHandle || now.tweetId !== shown.tweetId) {
    sync(article);
    return;
  }
  await sendMessage('requestPayment', {
    recipientHandle: now.authorHandle,
    tweetId: now.tweetId,
    source: 'tweet',
  });
}

const onActivate = (host: HTMLElement) => void activate(host).catch(() => undefined);

/** Puts the article's Pay button in the right state: present, last in its bar, naming the right author. */
function sync(article: Element): void {
  const target = postPayTarget(article, currentOwnHandle());
  const bar = target ? findActionBar(article) : null;
  let keep: HTMLElement | null = null;
  for (const host of article.querySelectorAll<HTMLElement>(PAY_HOST_TWEET)) {
    const shown = targets.get(host);
    const fits = !!target && !!shown && host.parentElement === bar && !keep && isOurHost(host);
    if (fits) keep = host;
    else removePayHost(host);
  }
  if (!target || !bar) return;
  const lang = pageLang(document);
  const label = payLabel(target.authorHandle, lang);
  let host = keep;
  if (host) {
    updatePayHost(host, { label });
    if (bar.lastElementChild !== host) bar.append(host);
  } else {
    host = createPayHost({ variant: 'tweet', label, theme, onActivate });
    bar.append(host);
  }
  targets.set(host, target);
}

/** Adds a Pay button to every eligible post's action bar. */
export function payOnTweet(ctx: ContentScriptContext): void {
  listenToPayHosts(ctx);
  theme = pageTheme(document);
  let lang = pageLang(document);
  onBatch(ctx, ({ styleChanged }) => {
    own = null;
    const nextTheme = styleChanged ? pageTheme(document) : theme;
    const nextLang = pageLang(document);
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
  observe(ctx, POST, sync);
  ctx.onInvalidated(() => {
    for (const host of document.querySelectorAll<HTMLElement>(PAY_HOST_TWEET)) removePayHost(host);
  });
}

/*
 * Manual test: 1. open https://x.com/home  2. every post but ads and your own shows a coin icon after Share
 * 3. click it on a repost: the confirm window names the original author, and the post did not open.
 */
