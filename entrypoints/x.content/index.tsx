import { defineContentScript } from 'wxt/utils/define-content-script';

export default defineContentScript({
  matches: [
    'https://x.com/*',
    'https://twitter.com/*',
    'https://mobile.x.com/*',
    'https://mobile.twitter.com/*',
  ],
  cssInjectionMode: 'ui',
  main() {
    // Features are registered here (one file per feature).
  },
});
