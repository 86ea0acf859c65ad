/**
 * The background: wiring only. One `runtime.onMessage` listener dispatches to one handler per message
 * (`handlers/`), behind the sender guard of its section (see router.ts). Listeners are registered at top level so
 * the worker wakes for them; every wake (startup, install, alarm, message) reconciles unfinished payment intents.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { onWindowRemoved } from './confirm-window';
import { restrictSessionStorage, sanitizeSettings, settingsItem, tokensItem } from '../../utils/storage';
import { WalletClient } from './wallet/client';
import { hasUnfinishedIntents, reconcileIntents } from './wallet/intents';
import { composerChanged } from './handlers/composer';
import { confirmHandlers } from './handlers/confirm';
import { forgetTabHealth, healthHandlers, reportPageHealth } from './handlers/health';
import { paymentHandlers } from './handlers/payments';
import { requestPayment } from './handlers/request-payment';
import { sessionHandlers } from './handlers/session';
import { tabHandlers } from './handlers/tab';
import { xLinkHandlers } from './handlers/x-link';
import { createRouter } from './router';
import { POLL_ALARM, POLL_SOON_ALARM, pollPayments, schedulePolling, stopPolling } from './tracker';

export default defineBackground(() => {
  void restrictSessionStorage();
  const client = new WalletClient({ fetch: (input, init) => fetch(input, init) });

  /** Re-sends payment intents a killed worker left unfinished (same Idempotency-Key: never twice). */
  const reconcile = () =>
    void hasUnfinishedIntents()
      .then((unfinished) => (unfinished ? reconcileIntents(client) : 0))
      .catch(() => undefined);

  const route = createRouter(
    {
      content: { requestPayment, composerChanged, reportPageHealth },
      page: {
        ...sessionHandlers(client),
        ...paymentHandlers(client),
        ...confirmHandlers(client),
        ...tabHandlers,
        ...xLinkHandlers(client),
        ...healthHandlers,
      },
    },
    { runtimeId: browser.runtime.id, extensionBase: browser.runtime.getURL('/'), onAccepted: reconcile },
  );
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
  browser.windows.onRemoved.addListener((windowId) => void onWindowRemoved(windowId));
  browser.tabs.onRemoved.addListener((tabId) => void forgetTabHealth(tabId));

  const wake = () => {
    reconcile();
    void client.hasSession().then((signedIn) => (signedIn ? schedulePolling() : stopPolling()));
  };
  browser.runtime.onStartup.addListener(wake);
  browser.runtime.onInstalled.addListener(wake);
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== POLL_ALARM && alarm.name !== POLL_SOON_ALARM) return;
    reconcile();
    void pollPayments(client)
      .then((signedIn) => (signedIn ? undefined : stopPolling()))
      .catch(() => undefined);
  });

  // Another wallet server in the options: the session of the old one ends here (its tokens never go elsewhere).
  settingsItem.watch((next, previous) => {
    if (sanitizeSettings(next).walletUrl === sanitizeSettings(previous).walletUrl) return;
    void tokensItem.setValue(null).then(stopPolling);
  });
});
