import { useEffect, useState } from 'preact/hooks';
import { Field } from '@/components/Field';
import { BalanceCard } from '@/components/BalanceCard';
import { Brand, Spinner } from '@/components/Brand';
import { useI18n } from '@/components/i18n-context';
import { PageHealthNotice } from '@/components/PageHealthNotice';
import { PaymentList } from '@/components/PaymentList';
import { XLinkCard } from '@/components/XLinkCard';
import { errorText } from '@/utils/i18n';
import { useStore } from '@/utils/use-store';
import type { PopupStore } from './store';

/** How often the open popup re-reads the summary. */
export const REFRESH_MS = 5000;

interface Props {
  store: PopupStore;
  walletUrl: string;
  /** Set when the confirm window sent the user here to sign in: the request to go back to. */
  returnTo: string | null;
  openOptions: () => void;
  /** Close the popup (after "Pay @handle" opened the confirm window). */
  close: () => void;
}

export function App({ store, walletUrl, returnTo, openOptions, close }: Props) {
  const s = useStore(store);
  const { t } = useI18n();
  useEffect(() => {
    void s.load();
  }, [store]);
  // Keep the balance and the lists current while the popup stays open (a tweet gets posted, a payment settles).
  useEffect(() => {
    const timer = setInterval(() => void store.getState().refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [store]);

  const settingsLink = (
    <button type="button" class="linkish" onClick={openOptions}>
      {t('settings')}
    </button>
  );

  return (
    <main class="page page--popup" data-testid="popup-root" data-phase={s.phase}>
      <Brand>
        {s.phase === 'ready' && (
          <button type="button" class="btn btn--small" data-testid="signout" onClick={() => void s.signOut()}>
            {t('popup.signOut')}
          </button>
        )}
      </Brand>
      {s.phase === 'loading' && <Spinner />}
      {s.phase === 'signedOut' && (
        <SignIn
          busy={s.signingIn}
          error={s.error}
          onSubmit={(email, password) => void s.signIn(email, password)}
          returnTo={returnTo}
        />
      )}
      {s.phase === 'offline' && (
        <section class="card" role="alert" data-testid="offline">
          <h2>{t('popup.offlineTitle')}</h2>
          <p>{t('popup.offline', { url: walletUrl })}</p>
          <div class="row">
            <button type="button" class="btn btn--primary" data-testid="retry" onClick={() => void s.load()}>
              {t('retry')}
            </button>
            {settingsLink}
          </div>
        </section>
      )}
      {s.phase === 'error' && (
        <section class="card" role="alert" data-testid="error">
          <p>{errorText(t, s.error ?? 'internal')}</p>
          <button type="button" class="btn btn--primary" onClick={() => void s.load()}>
            {t('retry')}
          </button>
        </section>
      )}
      {s.phase === 'ready' && s.summary && (
        <>
          {returnTo && (
            <a
              class="btn btn--primary btn--block"
              href={`confirm.html?request=${encodeURIComponent(returnTo)}`}
            >
              {t('popup.backToPayment')}
            </a>
          )}
          <p class="muted ellipsis">{t('popup.signedInAs', { name: s.summary.me.displayName })}</p>
          <BalanceCard balance={s.summary.me.balance} />
          <XLinkCard handle={s.summary.me.xHandle} onLinked={() => void store.getState().refresh()} />
          {s.error && (
            <p class="notice notice--danger" role="alert" data-testid="error">
              {errorText(t, s.error)}
            </p>
          )}
          <PageHealthNotice />
          {s.target && (
            <button
              type="button"
              class="btn btn--primary btn--block"
              data-testid="pay-current-tab"
              onClick={async () => {
                if (await s.payTab()) close();
              }}
            >
              {t('popup.payHandle', { handle: s.target.recipientHandle })}
            </button>
          )}
          {s.summary.composerChanged && (
            <p class="notice notice--warn" role="alert" data-testid="composer-changed">
              {t('popup.composerChanged')}
            </p>
          )}
          {s.summary.pending.length > 0 && (
            <section class="card" aria-labelledby="pending-title">
              <h2 id="pending-title">{t('popup.pending')}</h2>
              <p class="muted">{t('popup.pendingHint')}</p>
              <PaymentList
                testId="pending-list"
                labelledBy="pending-title"
                payments={s.summary.pending}
                notWrittenByUs={s.summary.notWrittenByUs ?? []}
                pending
                busyId={s.busyId}
                onConfirm={(p) => void s.confirm(p)}
                onCancel={(p) => void s.cancel(p)}
              />
            </section>
          )}
          <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{t('popup.history')}</h2>
            {s.summary.recent.length === 0 ? (
              <p class="muted" data-testid="history-empty">
                {t('popup.noPayments')}
              </p>
            ) : (
              <PaymentList testId="history-list" labelledBy="history-title" payments={s.summary.recent} />
            )}
          </section>
          <footer class="row row--between">{settingsLink}</footer>
        </>
      )}
    </main>
  );
}

function SignIn(props: {
  busy: boolean;
  error: string | null;
  returnTo: string | null;
  onSubmit: (email: string, password: string) => void;
}) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  return (
    <form
      class="card"
      aria-labelledby="signin-title"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(email.trim(), password);
      }}
    >
      <h2 id="signin-title">{t('popup.signInTitle')}</h2>
      <p class="muted">{props.returnTo ? t('popup.signInToConfirm') : t('popup.signInHint')}</p>
      <Field id="signin-email" label={t('popup.email')}>
        {(control) => (
          <input
            {...control}
            data-testid="signin-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field id="signin-password" label={t('popup.password')}>
        {(control) => (
          <input
            {...control}
            data-testid="signin-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        )}
      </Field>
      {props.error && (
        <p class="notice notice--danger" role="alert" data-testid="error">
          {props.error === 'unauthorized' ? t('popup.badCredentials') : errorText(t, props.error)}
        </p>
      )}
      <button
        type="submit"
        class="btn btn--primary btn--block"
        data-testid="signin-submit"
        disabled={props.busy}
      >
        {props.busy ? t('popup.signingIn') : t('popup.signIn')}
      </button>
    </form>
  );
}
