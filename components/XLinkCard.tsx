/**
 * "Link your X account" (popup and options): shows the linked handle, or a button that starts Sign in with
 * X in a new tab and then watches the wallet (`getSession`) until the handle appears — the wallet server
 * links the account when X sends the user back to it.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../utils/i18n';
import { sendMessage } from '../utils/messaging';
import { useI18n } from './i18n-context';

/** How often the wallet is asked while a link is in progress, and for how long (X's state lives 10 min). */
export const XLINK_POLL_MS = 2_000;
export const XLINK_WAIT_MS = 10 * 60_000;

interface Props {
  /** The handle the page already knows (undefined: ask the wallet). */
  handle?: string | null;
  /** Called once the wallet shows a newly linked handle. */
  onLinked?: (handle: string) => void;
  send?: typeof sendMessage;
}

export function XLinkCard({ handle: known, onLinked, send = sendMessage }: Props) {
  const { t } = useI18n();
  const [handle, setHandle] = useState<string | null | undefined>(known);
  const [phase, setPhase] = useState<'idle' | 'starting' | 'waiting'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [signedOut, setSignedOut] = useState(false);

  useEffect(() => setHandle(known), [known]);
  useEffect(() => {
    if (known !== undefined) return;
    send('getSession', {}).then(
      (r) => {
        setSignedOut(r.ok && !r.signedIn);
        setHandle(r.ok ? (r.me?.xHandle ?? null) : null);
      },
      () => setSignedOut(true), // no background to ask (yet): nothing to show
    );
  }, [known]);
  useEffect(() => {
    if (phase !== 'waiting') return;
    const started = Date.now();
    const timer = setInterval(() => {
      void send('getSession', {}).then(
        (r) => {
          const linked = r.ok ? r.me?.xHandle : null;
          if (linked && linked !== handle) {
            setHandle(linked);
            setPhase('idle');
            onLinked?.(linked);
          } else if (Date.now() - started > XLINK_WAIT_MS) {
            setPhase('idle');
            setError('timeout');
          }
        },
        () => undefined,
      ); // the background is restarting: ask again next time
    }, XLINK_POLL_MS);
    return () => clearInterval(timer);
  }, [phase]);

  const start = async () => {
    setError(null);
    setPhase('starting');
    const r = await send('startXLink', {}).catch(() => ({ ok: false as const, code: 'internal' }));
    if (r.ok) setPhase('waiting');
    else {
      setPhase('idle');
      setError(r.code);
    }
  };

  if (signedOut) return null; // the options page of a signed-out extension: nothing to link yet
  return (
    <section class="card" aria-labelledby="xlink-title" data-testid="x-link">
      <h2 id="xlink-title">{t('xlink.title')}</h2>
      <p role="status" aria-live="polite" data-testid="x-link-status">
        {handle
          ? t('xlink.linkedAs', { handle })
          : phase === 'waiting'
            ? t('xlink.waiting')
            : t('xlink.none')}
      </p>
      {error && (
        <p class="notice notice--danger" role="alert" data-testid="x-link-error">
          {error === 'timeout' ? t('xlink.timeout') : errorText(t, error)}
        </p>
      )}
      {handle === null && phase !== 'waiting' && (
        <button
          type="button"
          class="btn btn--primary btn--block"
          data-testid="x-link-button"
          disabled={phase === 'starting'}
          onClick={() => void start()}
        >
          {t('xlink.link')}
        </button>
      )}
    </section>
  );
}
