/**
 * The background: wiring only. One `runtime.onMessage` listener dispatches to one handler per message
 * (`handlers/`), behind the sender guard of its section (see router.ts). Listeners are registered at top level so
 * the worker wakes for them.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { onWindowRemoved } from '../../utils/confirm-window';
import { restrictSessionStorage } from '../../utils/storage';
import { requestPayment } from './handlers/request-payment';
import { createRouter } from './router';

export default defineBackground(() => {
  void restrictSessionStorage();

  const route = createRouter(
    { content: { requestPayment }, page: {} },
    { runtimeId: browser.runtime.id, extensionBase: browser.runtime.getURL('/') },
  );
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
  browser.windows.onRemoved.addListener((windowId) => void onWindowRemoved(windowId));
});
