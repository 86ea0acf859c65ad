import { useEffect, useState } from 'preact/hooks';
import { sendMessage } from '../utils/messaging';
import { useI18n } from './i18n-context';

/**
 * Says in plain words when X changed its page in the current tab and the in-page Pay buttons are paused there
 * (the content script's health check); the popup's "Pay the profile in this tab" still works from the URL.
 */
export function PageHealthNotice({ send = sendMessage }: { send?: typeof sendMessage }) {
  const { t } = useI18n();
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    let live = true;
    send('getTabHealth', {})
      .then((r) => live && setPaused(r.ok && r.paused))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [send]);
  if (!paused) return null;
  return (
    <p class="notice notice--warn" role="status" data-testid="page-paused">
      {t('popup.paused')}
    </p>
  );
}
