import { browser } from 'wxt/browser';
import '@/components/ui.css';
import { showPage } from '@/components/i18n-context';
import { formatTypedAmount, parseAmount } from '@/core/money';
import { livePayButtons, loadPageEnv } from '@/utils/page-env';
import { isLocalWalletOrigin, originPattern } from '@/utils/host-permission';
import { saveSettings } from '@/utils/storage';
import { App } from './App';

async function main() {
  const { settings, i18n } = await loadPageEnv();
  document.title = i18n.t('options.title');
  // The popup's quick switch may change it while this page is open.
  const payButtons = await livePayButtons(() => draw());
  const draw = () =>
    showPage(
      i18n,
      <App
        initial={{
          walletUrl: settings.walletUrl,
          language: settings.language,
          defaultMode: settings.defaultMode,
          presets: settings.presets.map((c) => formatTypedAmount(c, i18n.lang)),
        }}
        justSaved={new URLSearchParams(location.search).has('saved')}
        payButtons={payButtons.value}
        savePayButtons={payButtons.set}
        parseAmount={(text) => parseAmount(text, i18n.lang)}
        requestOrigin={(origin) =>
          isLocalWalletOrigin(origin)
            ? Promise.resolve(true)
            : browser.permissions.request({ origins: [originPattern(origin)] }).catch(() => false)
        }
        save={async (value) => {
          const r = await saveSettings({
            walletUrl: value.walletUrl,
            language: value.language,
            defaultMode: value.defaultMode,
            presets: value.presets,
          });
          if (!r.ok) throw new Error(r.code);
          // A new language applies to the whole page at once.
          if (value.language !== settings.language) location.replace('?saved=1');
        }}
      />,
    );
  draw();
}

void main();
