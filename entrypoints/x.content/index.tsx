/**
 * The x.com content script: registers each feature (one file per feature). Each one runs inside its own
 * try/catch, so a feature broken by an X change leaves the others working. Everything is bound to the script's
 * own context (utils/x/lifecycle.ts), not to WXT's `ctx`, which a page can switch off with a forged event: when
 * the extension is reloaded or updated, the observer stops and the buttons go.
 */
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { X_MATCHES } from '../../core/x-ids';
import { createScriptContext, type ScriptContext } from '../../utils/x/lifecycle';
import { composerGuard } from './composer-guard';
import { fillComposer } from './fill-composer';
import { pageHealth } from './page-health';
import { pageUrl } from './page-url';
import { payButtonsSwitch } from './pay-buttons-switch';
import { payOnProfile } from './pay-on-profile';
import { payOnTweet } from './pay-on-tweet';

const FEATURES: [string, (ctx: ScriptContext) => void][] = [
  ['pay-buttons-switch', payButtonsSwitch],
  ['pay-on-tweet', payOnTweet],
  ['pay-on-profile', payOnProfile],
  ['fill-composer', fillComposer],
  ['composer-guard', composerGuard],
  ['page-url', pageUrl],
  ['page-health', pageHealth],
];

export default defineContentScript({
  matches: X_MATCHES,
  // WXT's "content script started" message would tell the page the extension id.
  noScriptStartedPostMessage: true,
  main() {
    // Checked on every event and, at most every RECHECK_MS, on mutation batches: the browser's own `runtime`
    // object where there is one (its `id` is undefined once the extension is gone), not the polyfill's wrapper
    // around it, which costs more.
    const native = (globalThis as { chrome?: { runtime?: { id?: string } } }).chrome?.runtime;
    const ctx = createScriptContext(() => (native ?? browser.runtime)?.id != null);
    for (const [name, feature] of FEATURES) {
      try {
        feature(ctx);
      } catch (error) {
        console.error(`[tweetez-payez] ${name} failed to start:`, error);
      }
    }
  },
});
