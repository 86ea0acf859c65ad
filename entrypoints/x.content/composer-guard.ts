/**
 * composer-guard: after fill-composer put a payment tweet into X's composer, watch that composer until it is
 * posted or closed. When it no longer holds what was filled (the page rewrote it — `… 249EUR @mallory_pay` — or
 * the user edited it), say so in the page, in X's language, in a notice the page cannot reword (closed shadow
 * root), and tell the background so the popup warns as well. Posting a changed tweet moves no money by itself: it
 * becomes a hand-typed payment waiting for the user's confirmation, which the popup marks as not written by
 * Tweetez Payez.
 */
import { sendMessage } from '../../utils/messaging';
import type { ScriptContext } from '../../utils/x/lifecycle';
import { onBatch } from '../../utils/x/observe';
import { filledComposerState, pageLang, type Lang } from '../../utils/x/page';

/** Test hook of the notice's host (its text lives in a closed shadow root). */
export const NOTICE_ATTR = 'data-tweetez-payez-notice';

const TEXT: Record<Lang, string> = {
  en: 'Tweetez Payez: this payment tweet was changed after Tweetez Payez wrote it. Check the amount and the recipient before you post it.',
  fr: "Tweetez Payez : ce tweet de paiement a été modifié après que Tweetez Payez l'a écrit. Vérifiez le montant et le destinataire avant de le publier.",
};

const CSS = `:host{all:initial;position:fixed;z-index:2147483647;left:50%;bottom:24px;transform:translateX(-50%);
max-width:min(560px,calc(100vw - 32px))}
p{margin:0;padding:12px 16px;border-radius:12px;border:1px solid #8a5300;background:#fff4dd;color:#5c3700;
font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.2)}`;

interface Guard {
  editor: Element;
  text: string;
  changed: boolean;
}

let guard: Guard | null = null;
let notice: HTMLElement | null = null;

function showNotice(show: boolean): void {
  notice?.remove();
  notice = null;
  if (!show || !document.body) return;
  const host = document.createElement('div');
  host.setAttribute(NOTICE_ATTR, '');
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = TEXT[pageLang(document)];
  root.append(style, p);
  document.body.append(host);
  notice = host;
}

function report(changed: boolean): void {
  sendMessage('composerChanged', { changed }).catch(() => undefined);
}

/** Looks at the guarded composer again (every mutation batch while one is guarded). */
function check(): void {
  if (!guard) return;
  const state = filledComposerState(guard.editor, guard.text);
  if (state === 'gone') {
    if (guard.changed) report(false);
    guard = null;
    showNotice(false);
    return;
  }
  const changed = state === 'changed';
  if (changed !== guard.changed) {
    guard.changed = changed;
    showNotice(changed);
    report(changed);
  } else if (changed && !notice?.isConnected) {
    showNotice(true); // the page removed the notice while the tweet is still changed: it comes back
  }
}

/** Watches `editor`, just filled with `text` (replaces any composer watched before). */
export function guardFilledComposer(editor: Element, text: string): void {
  if (guard?.changed) report(false);
  guard = { editor, text, changed: false };
  showNotice(false);
  check();
}

/** Runs the checks (one per mutation batch, only while a filled composer is watched). */
export function composerGuard(ctx: ScriptContext): void {
  onBatch(ctx, check);
  ctx.onInvalidated(() => {
    guard = null;
    showNotice(false);
  });
}
