import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Field } from '@/components/Field';
import { AmountPicker, resolveAmount, type AmountChoice, type ParseAmount } from '@/components/AmountPicker';
import { Brand, Spinner } from '@/components/Brand';
import { useI18n } from '@/components/i18n-context';
import { ModeSwitch } from '@/components/ModeSwitch';
import { RecipientCard } from '@/components/RecipientCard';
import { StatusBadge } from '@/components/StatusBadge';
import { TweetPreview } from '@/components/TweetPreview';
import { computeConfirmView, type AmountProblem, type ConfirmDeps } from './form';
import { LOCALES } from '@/core/lang';
import { amountErrorText, errorText, type Translate } from '@/utils/i18n';
import type { ConfirmContext, FillOutcome, sendMessage } from '@/utils/messaging';
import { useArming } from './use-arming';
import { FINAL_STATUSES, type Payment, type PaymentMode } from '@/core/wallet-types';

/** Confirm arms this long after the window got focus (clickjacking defence, docs/ARCHITECTURE.md "Trust boundaries"). */
export const ARM_DELAY_MS = 1000;
const POLL_MS = 2500;

interface Props {
  requestId: string | null;
  send: typeof sendMessage;
  presets: number[];
  defaultMode: PaymentMode;
  deps: ConfirmDeps;
  parseAmount: ParseAmount;
  /** Words for a refusal of the tweet formatter. */
  tweetReason: (t: Translate, reason: string) => string;
  close: () => void;
  /** Go to the popup's sign-in form in this window, then come back. */
  goSignIn: () => void;
}

type Phase =
  | { name: 'loading' }
  | { name: 'signedOut' }
  | { name: 'fatal'; code: string }
  | { name: 'form'; ctx: ConfirmContext }
  | { name: 'done'; ctx: ConfirmContext; payment: Payment; fill: FillOutcome | null };

export function App(props: Props) {
  const { t } = useI18n();
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  /** Once the request is settled (paid, canceled, or leaving to sign in), closing the window cancels nothing. */
  const settled = useRef(false);

  const load = async () => {
    if (!props.requestId) return setPhase({ name: 'fatal', code: 'request_expired' });
    setPhase({ name: 'loading' });
    const r = await props
      .send('getConfirmContext', { requestId: props.requestId })
      .catch(() => ({ ok: false as const, code: 'network' }));
    if (r.ok) setPhase({ name: 'form', ctx: r });
    else if (r.code === 'signed_out' || r.code === 'unauthorized') setPhase({ name: 'signedOut' });
    else setPhase({ name: 'fatal', code: r.code });
  };
  useEffect(() => {
    void load();
  }, []);

  // Closing the window is a cancel.
  useEffect(() => {
    const onHide = () => {
      if (!settled.current && props.requestId)
        void props.send('cancelRequest', { requestId: props.requestId });
    };
    window.addEventListener('pagehide', onHide);
    return () => window.removeEventListener('pagehide', onHide);
  }, []);

  const cancel = async () => {
    settled.current = true;
    if (props.requestId) await props.send('cancelRequest', { requestId: props.requestId }).catch(() => null);
    props.close();
  };

  return (
    <main class="page page--confirm" data-testid="confirm-root" data-phase={phase.name}>
      <Brand title={t('confirm.title')} />
      {phase.name === 'loading' && <Spinner />}
      {phase.name === 'signedOut' && (
        <section class="card" data-testid="signed-out">
          <h2>{t('confirm.signedOutTitle')}</h2>
          <p>{t('confirm.signedOut')}</p>
          <div class="row">
            <button
              type="button"
              class="btn btn--primary"
              data-testid="signin-link"
              onClick={() => {
                settled.current = true;
                props.goSignIn();
              }}
            >
              {t('confirm.signIn')}
            </button>
            <button type="button" class="btn" data-testid="cancel-button" onClick={() => void cancel()}>
              {t('cancel')}
            </button>
          </div>
        </section>
      )}
      {phase.name === 'fatal' && (
        <section class="card">
          <p class="notice notice--danger" role="alert" data-testid="error">
            {errorText(t, phase.code)}
          </p>
          <div class="row">
            {phase.code === 'network' && (
              <button type="button" class="btn btn--primary" onClick={() => void load()}>
                {t('retry')}
              </button>
            )}
            <button type="button" class="btn" data-testid="cancel-button" onClick={() => void cancel()}>
              {t('close')}
            </button>
          </div>
        </section>
      )}
      {phase.name === 'form' && (
        <ConfirmForm
          {...props}
          ctx={phase.ctx}
          onCancel={() => void cancel()}
          onDone={(payment, fill) => {
            settled.current = true;
            setPhase({ name: 'done', ctx: phase.ctx, payment, fill });
          }}
          onSignedOut={() => setPhase({ name: 'signedOut' })}
        />
      )}
      {phase.name === 'done' && (
        <Done
          ctx={phase.ctx}
          payment={phase.payment}
          fill={phase.fill}
          send={props.send}
          close={props.close}
        />
      )}
    </main>
  );
}

function problemText(t: Translate, money: (c: number) => string, p: AmountProblem): string {
  switch (p.code) {
    case 'below_min':
      return t('confirm.belowMin', { min: money(p.minCents) });
    case 'limit_exceeded':
      return t('confirm.overLimit', { limit: money(p.limitCents) });
    case 'insufficient_funds':
      return t('confirm.insufficient', { available: money(p.availableCents) });
    case 'self_payment':
      return t('confirm.selfPayment');
  }
}

function ConfirmForm(
  props: Props & {
    ctx: ConfirmContext;
    onCancel: () => void;
    onDone: (p: Payment, fill: FillOutcome | null) => void;
    onSignedOut: () => void;
  },
) {
  const { t, money, lang } = useI18n();
  const { ctx } = props;
  const [choice, setChoice] = useState<AmountChoice>(() =>
    props.presets[0] !== undefined
      ? { kind: 'preset', cents: props.presets[0] }
      : { kind: 'custom', text: '' },
  );
  const [message, setMessage] = useState('');
  const [mode, setMode] = useState<PaymentMode>(props.defaultMode);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const armed = useArming(ARM_DELAY_MS);

  const amount = resolveAmount(choice, props.parseAmount);
  const amountCents = amount.state === 'ok' ? amount.cents : null;
  const view = useMemo(
    () => computeConfirmView(ctx, amountCents, message, mode, props.deps),
    [ctx, amountCents, message, mode],
  );
  const customError = amount.state === 'invalid' ? amountErrorText(t, amount.reason, lang) : null;
  const tweetState =
    view.tweet === null
      ? null
      : view.tweet.ok
        ? view.tweet
        : { ok: false as const, reason: props.tweetReason(t, view.tweet.reason) };
  const enabled = armed && view.canConfirm && !sending;

  const confirm = async () => {
    if (!enabled || amountCents === null) return;
    setSending(true);
    setError(null);
    const trimmed = message.trim();
    const r = await props
      .send('createPayment', {
        requestId: ctx.request.requestId,
        amountCents,
        mode,
        ...(trimmed ? { message: trimmed } : {}),
      })
      .catch(() => ({ ok: false as const, code: 'network' }));
    setSending(false);
    if (r.ok) props.onDone(r.payment, r.fill);
    else if (r.code === 'signed_out') props.onSignedOut();
    else setError(r.code);
  };

  const label =
    amountCents === null
      ? t('confirm.chooseAmount')
      : mode === 'tweet'
        ? t('confirm.confirmTweet', { amount: money(amountCents) })
        : t('confirm.confirmPrivate', { amount: money(amountCents) });

  return (
    <form
      class="stack"
      style={{ gap: '12px' }}
      onSubmit={(e) => {
        e.preventDefault();
        void confirm();
      }}
    >
      <RecipientCard recipient={ctx.recipient} claimDays={ctx.config.claimDays} />
      <section class="card">
        <AmountPicker
          presets={props.presets}
          choice={choice}
          onChange={setChoice}
          customError={customError}
          describedBy={view.problem ? 'amount-problem' : undefined}
        />
        {view.problem && (
          <p id="amount-problem" class="notice notice--danger" role="alert" data-testid="amount-problem">
            {problemText(t, money, view.problem)}
          </p>
        )}
        <Field id="message-input" label={t('confirm.message')}>
          {(control) => (
            <textarea
              {...control}
              data-testid="message-input"
              rows={2}
              maxLength={280}
              placeholder={t('confirm.messagePlaceholder')}
              value={message}
              onInput={(e) => setMessage(e.currentTarget.value)}
            />
          )}
        </Field>
        <ModeSwitch mode={mode} onChange={setMode} />
      </section>
      <section class="card">
        {mode === 'tweet' && <TweetPreview state={tweetState} handle={ctx.recipient.handle} />}
        <dl class="summary">
          <dt>{t('confirm.fee')}</dt>
          <dd data-testid="fee">
            {view.feeCents > 0
              ? t('confirm.feeBusiness', {
                  fee: money(view.feeCents),
                  rate: new Intl.NumberFormat(LOCALES[lang], {
                    style: 'percent',
                    maximumFractionDigits: 2,
                  }).format(ctx.recipient.feeBps / 10_000),
                  net: money(view.netCents),
                })
              : t('confirm.feeNone')}
          </dd>
          <dt>{t('confirm.balanceAfter')}</dt>
          <dd data-testid="balance-after">{amountCents === null ? '—' : money(view.balanceAfterCents)}</dd>
        </dl>
      </section>
      {error && (
        <p class="notice notice--danger" role="alert" data-testid="error">
          {errorText(t, error)}
        </p>
      )}
      {!armed && (
        <p class="muted" data-testid="arming">
          {t('confirm.arming')}
        </p>
      )}
      <div class="actions">
        <button type="button" class="btn" data-testid="cancel-button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
        <button
          type="submit"
          class="btn btn--primary"
          data-testid="confirm-button"
          data-armed={String(armed)}
          disabled={!enabled}
        >
          {sending ? t('confirm.sending') : label}
        </button>
      </div>
    </form>
  );
}

function Done(props: {
  ctx: ConfirmContext;
  payment: Payment;
  fill: FillOutcome | null;
  send: typeof sendMessage;
  close: () => void;
}) {
  const { t, money } = useI18n();
  const [payment, setPayment] = useState(props.payment);
  const [copied, setCopied] = useState(false);
  const handle = props.ctx.recipient.handle;

  // Follow the payment until it settles (the tweet is posted, or it is executed).
  useEffect(() => {
    if (FINAL_STATUSES.includes(payment.status) || payment.status === 'claimable') return;
    const timer = setTimeout(async () => {
      const r = await props.send('getSummary', {}).catch(() => null);
      const fresh = r?.ok ? r.recent.find((p) => p.id === payment.id) : undefined;
      setPayment(fresh ? { ...fresh } : { ...payment });
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [payment]);

  let outcome;
  if (payment.mode === 'tweet') {
    const fill = props.fill;
    outcome = (
      <div class="stack" data-testid="fill-outcome" data-method={fill?.ok ? fill.method : 'none'}>
        {fill?.ok ? (
          <p class="notice notice--ok" role="status">
            {fill.method === 'intent' ? t('confirm.filledIntent') : t('confirm.filled')}
          </p>
        ) : (
          <p class="notice notice--warn" role="status">
            {t('confirm.fillFailed')}
          </p>
        )}
        {/* The wallet's canonical text: what X must receive for the payment to go through. */}
        <p class="tweet" data-testid="tweet-text" lang="fr">
          {payment.tweetText}
        </p>
        {!fill?.ok && (
          <button
            type="button"
            class="btn btn--small"
            onClick={async () => {
              await navigator.clipboard.writeText(payment.tweetText ?? '');
              setCopied(true);
            }}
          >
            {copied ? t('confirm.copied') : t('confirm.copy')}
          </button>
        )}
      </div>
    );
  } else {
    outcome = (
      <p class="notice notice--ok" role="status" data-testid="private-outcome">
        {payment.status === 'claimable'
          ? t('confirm.privateClaimable', { amount: money(payment.amountCents), handle })
          : t('confirm.privateDone', { amount: money(payment.amountCents), handle })}
      </p>
    );
  }

  return (
    <section class="card" data-testid="done">
      {outcome}
      <div class="row row--between">
        <span class="label">{t('confirm.paymentStatus')}</span>
        <span data-testid="payment-status" data-status={payment.status}>
          <StatusBadge status={payment.status} />
        </span>
      </div>
      <button type="button" class="btn btn--primary btn--block" autoFocus onClick={props.close}>
        {t('confirm.done')}
      </button>
    </section>
  );
}
