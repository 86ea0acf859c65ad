import { useEffect, useState } from 'preact/hooks';
import { TextField } from '@/components/Field';
import { BalanceCard } from '@/components/BalanceCard';
import { Brand, Spinner } from '@/components/Brand';
import { useI18n } from '@/components/i18n-context';
import { PageHealthNotice } from '@/components/PageHealthNotice';
import { PaymentList } from '@/components/PaymentList';
import { PayButtonsToggle } from '@/components/PayButtonsSettings';
import { TopUpList } from '@/components/TopUpList';
import { XLinkCard } from '@/components/XLinkCard';
import { errorText } from '@/utils/i18n';
import type { PayButtonsSetting } from '@/utils/pay-buttons';
import { useStore } from '@/utils/use-store';
import { AddMoney } from './AddMoney';
import { SignUp } from './SignUp';
import type { PopupStore } from './store';

/** How often the open popup re-reads the summary. */
export const REFRESH_MS = 5000;

interface Props {
  store: PopupStore;
  walletUrl: string;
  /** Set when the confirm window sent the user here to sign in: the request to go back to. */
  returnTo: string | null;
  /** Back to the confirm window of `requestId` (this window: the confirm window sent the user here). */
  goBack: (requestId: string) => void;
  openOptions: () => void;
  /** Close the popup (after "Pay @handle" opened the confirm window). */
  close: () => void;
  /** The quick switch of the Pay buttons on X (saved by the page; open X tabs follow it at once). */
  payButtons: PayButtonsSetting;
  setPayButtons: (next: PayButtonsSetting) => void;
}

export function App({
  store,
  walletUrl,
  returnTo,
  goBack,
  openOptions,
  close,
  payButtons,
  setPayButtons,
}: Props) {
  const s = useStore(store);
  const { t } = useI18n();
  useEffect(() => {
    void s.load();
  }, [store]);
  // Signed in from a confirm window that asked for it: straight back to the payment.
  useEffect(() => {
    if (returnTo && s.justSignedIn) goBack(returnTo);
  }, [s.justSignedIn]);
  // The sign-up rules and the top-up method, once there is a form that needs them.
  const needsConfig = s.phase === 'ready' || (s.phase === 'signedOut' && s.view === 'signUp');
  useEffect(() => {
    if (needsConfig && !s.walletConfig) void s.loadWalletConfig();
  }, [needsConfig]);
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
      {s.phase === 'signedOut' && s.view === 'signIn' && (
        <SignIn
          busy={s.signingIn}
          error={s.error}
          onSubmit={(email, password) => void s.signIn(email, password)}
          returnTo={returnTo}
          onSignUp={() => s.setView('signUp')}
        />
      )}
      {s.phase === 'signedOut' && s.view === 'signUp' && (
        <SignUp
          rules={s.walletConfig?.accounts ?? null}
          walletUrl={walletUrl}
          busy={s.signingUp}
          onSubmit={(v) => s.signUp(v)}
          onSignIn={() => s.setView('signIn')}
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
          {s.summary.me.onHold && (
            <p class="notice notice--danger" role="alert" data-testid="on-hold">
              {t('popup.onHold')}
            </p>
          )}
          {s.welcome && <NextSteps linked={!!s.summary.me.xHandle} onDismiss={s.dismissWelcome} />}
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
          <AddMoney
            config={s.walletConfig?.topUps ?? null}
            busy={s.topUpBusy}
            done={s.topUpDone}
            error={s.topUpError}
            onSubmit={(cents) => s.addMoney(cents)}
          />
          <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{t('popup.history')}</h2>
            {s.summary.recent.length === 0 ? (
              <p class="muted" data-testid="history-empty">
                {t('popup.noPayments')}
              </p>
            ) : (
              <PaymentList testId="history-list" labelledBy="history-title" payments={s.summary.recent} />
            )}
            {s.summary.topUps.length > 0 && (
              <>
                <h3 id="topups-title">{t('popup.topups')}</h3>
                <TopUpList topUps={s.summary.topUps} labelledBy="topups-title" />
              </>
            )}
          </section>
          <footer class="row row--between">{settingsLink}</footer>
        </>
      )}
      {s.phase !== 'loading' && <PayButtonsToggle value={payButtons} onChange={setPayButtons} />}
    </main>
  );
}

/** After opening a wallet: link the X account, add money. */
function NextSteps({ linked, onDismiss }: { linked: boolean; onDismiss: () => void }) {
  const { t } = useI18n();
  return (
    <section class="card" aria-labelledby="welcome-title" data-testid="next-steps">
      <h2 id="welcome-title">{t('popup.welcomeTitle')}</h2>
      <p>{t('popup.nextSteps')}</p>
      <ol class="stack" style={{ margin: 0, paddingLeft: '20px' }}>
        {!linked && <li data-step="link-x">{t('popup.stepLinkX')}</li>}
        <li data-step="add-money">
          <a href="#topup-title" onClick={() => document.getElementById('topup-amount')?.focus()}>
            {t('popup.stepAddMoney')}
          </a>
        </li>
      </ol>
      <button type="button" class="btn btn--small" style={{ alignSelf: 'flex-start' }} onClick={onDismiss}>
        {t('popup.dismiss')}
      </button>
    </section>
  );
}

function SignIn(props: {
  busy: boolean;
  error: string | null;
  returnTo: string | null;
  onSubmit: (email: string, password: string) => void;
  onSignUp: () => void;
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
      <TextField
        id="signin-email"
        label={t('popup.email')}
        type="email"
        autoComplete="username"
        required
        value={email}
        onValue={setEmail}
      />
      <TextField
        id="signin-password"
        label={t('popup.password')}
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onValue={setPassword}
      />
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
      <p class="muted">
        {t('popup.noWallet')}{' '}
        <button type="button" class="linkish" data-testid="signup-link" onClick={props.onSignUp}>
          {t('popup.signupLink')}
        </button>
      </p>
    </form>
  );
}
