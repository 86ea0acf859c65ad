import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';
import { LOCAL_WALLET_PATTERNS } from './utils/host-permission';

/**
 * A wallet server on this machine, any port (the default is http://127.0.0.1:8787, see docs/wallet-api.md);
 * other origins are asked for at run time. No port in the patterns: Firefox cannot match one
 * (utils/host-permission.ts).
 */
export const DEFAULT_WALLET_ORIGINS = [...LOCAL_WALLET_PATTERNS];

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  // NO_MINIFY=1 keeps function names, for reading a CPU profile of the content script (docs/x-drift.md, "Cost").
  vite: () => ({ plugins: [preact()], ...(process.env.NO_MINIFY ? { build: { minify: false } } : {}) }),
  hooks: {
    // The content script gets a small `wxt/browser` of its own (utils/x/browser-shim.ts), not the polyfill.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.every((e) => e.type === 'content-script')) return;
      const shim = fileURLToPath(new URL('./utils/x/browser-shim.ts', import.meta.url));
      const resolve = (config.resolve ??= {});
      const alias = resolve.alias;
      if (Array.isArray(alias)) alias.unshift({ find: /^wxt\/browser$/, replacement: shim });
      else resolve.alias = { ...(alias as Record<string, string> | undefined), 'wxt/browser': shim };
    },
  },
  zip: {
    // The sources zip addons.mozilla.org asks for holds only what builds the extension (see README,
    // "Building from source"); the wallet server, tests, benchmarks, docs and local data stay out.
    excludeSources: [
      'server/**',
      'tests/**',
      'bench/**',
      'docs/**',
      'scripts/**',
      'test-results/**',
      'playwright-report/**',
      'blob-report/**',
      'coverage/**',
      'tmp/**',
      '**/*.log',
    ],
  },
  manifest: ({ browser, manifestVersion }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'alarms', 'notifications'],
    host_permissions: DEFAULT_WALLET_ORIGINS,
    ...(manifestVersion === 3
      ? { optional_host_permissions: ['https://*/*'] }
      : { optional_permissions: ['https://*/*'] }),
    // No web page and no other extension may message us.
    externally_connectable: { ids: [] },
    action: { default_title: '__MSG_extName__' },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'tweetez-payez@tweetezpayez.example',
          strict_min_version: '140.0',
          data_collection_permissions: { required: ['personallyIdentifyingInfo', 'financialAndPaymentInfo'] },
        },
        // data_collection_permissions exists since Firefox 140 on desktop and 142 on Android.
        gecko_android: { strict_min_version: '142.0' },
      },
    }),
    ...(browser !== 'firefox' && { minimum_chrome_version: '116' }),
  }),
});
