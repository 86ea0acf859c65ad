import { render } from 'preact';
import { browser } from 'wxt/browser';
import '@/components/ui.css';
import { I18nContext } from '@/components/i18n-context';
import { loadPageEnv } from '@/utils/page-env';
import { getPayButtons, savePayButtons, watchPayButtons } from '@/utils/storage';
import { App } from './App';
import { createPopupStore } from './store';

async function main() {
  const { settings, i18n } = await loadPageEnv();
  document.title = i18n.t('appName');
  const returnTo = new URLSearchParams(location.search).get('request');
  const store = createPopupStore();
  let payButtons = await getPayButtons();
  const draw = () =>
    render(
      <I18nContext.Provider value={i18n}>
        <App
          store={store}
          walletUrl={settings.walletUrl}
          returnTo={returnTo}
          goBack={(id) => location.replace(`confirm.html?request=${encodeURIComponent(id)}`)}
          openOptions={() => void browser.runtime.openOptionsPage()}
          close={() => window.close()}
          payButtons={payButtons}
          setPayButtons={(next) => {
            payButtons = next;
            draw();
            void savePayButtons(next);
          }}
        />
      </I18nContext.Provider>,
      document.getElementById('app')!,
    );
  draw();
  watchPayButtons((next) => {
    payButtons = next;
    draw();
  });
}

void main();
