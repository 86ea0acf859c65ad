/**
 * The x.com content script: registers each feature (one file per feature). Each one runs inside its own
 * try/catch, so a feature broken by an X change leaves the others working. Everything is bound to `ctx`: when
 * the extension is reloaded or updated, the observer stops and the buttons go.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { X_MATCHES } from '../../core/x-ids';
import { fillComposer } from './fill-composer';
import { pageUrl } from './page-url';
import { payOnProfile } from './pay-on-profile';
import { payOnTweet } from './pay-on-tweet';

const FEATURES: [string, (ctx: ContentScriptContext) => void][] = [
  ['pay-on-tweet', payOnTweet],
  ['pay-on-profile', payOnProfile],
  ['fill-composer', fillComposer],
  ['page-url', pageUrl],
];

export default defineContentScript({
  matches: X_MATCHES,
  main(ctx) {
    for (const [name, feature] of FEATURES) {
      try {
        feature(ctx);
      } catch (error) {
        console.error(`[tweetez-payez] ${name} failed to start:`, error);
      }
    }
  },
});
