import { browser } from 'wxt/browser';
import '@/components/ui.css';
import { showPage } from '@/components/i18n-context';
import { livePayButtons, loadPageEnv } from '@/utils/page-env';
import { App } from './App';
import { createPopupStore } from './store';

async function main() {
  const { settings, i18n } = await loadPageEnv();
  document.title = i18n.t('appName');
  const returnTo = new URLSearchParams(location.search).get('request');
  const store = createPopupStore();
  const payButtons = await livePayButtons(() => draw());
  const draw = () =>
    showPage(
      i18n,
      <App
        store={store}
        walletUrl={settings.walletUrl}
        returnTo={returnTo}
        goBack={(id) => location.replace(`confirm.html?request=${encodeURIComponent(id)}`)}
        openOptions={() => void browser.runtime.openOptionsPage()}
        close={() => window.close()}
        payButtons={payButtons.value}
        setPayButtons={payButtons.set}
      />,
    );
  draw();
}

void main();
