import '@/components/ui.css';
import { showPage } from '@/components/i18n-context';
import { sendMessage } from '@/utils/messaging';
import { parseAmount } from '@/core/money';
import { loadPageEnv } from '@/utils/page-env';
import { formatPaymentTweet } from '@/core/payment-tweet';
import { checkPayment } from '@/core/rules';
import { App } from './App';
import { tweetReasonText } from '@/utils/i18n';

async function main() {
  const { settings, i18n } = await loadPageEnv();
  document.title = i18n.t('confirm.title');
  const requestId = new URLSearchParams(location.search).get('request');
  showPage(
    i18n,
    <App
      requestId={requestId}
      send={sendMessage}
      presets={settings.presets}
      defaultMode={settings.defaultMode}
      deps={{ formatTweet: formatPaymentTweet, check: checkPayment }}
      parseAmount={(text) => parseAmount(text, i18n.lang)}
      tweetReason={tweetReasonText}
      close={() => window.close()}
      goSignIn={() => location.assign(`popup.html?request=${encodeURIComponent(requestId ?? '')}`)}
    />,
  );
}

void main();
