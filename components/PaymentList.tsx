import type { Payment, PaymentParty } from '../core/wallet-types';
import { tweetIntentUrl } from '../utils/x-links';
import { useI18n } from './i18n-context';
import { StatusBadge } from './StatusBadge';

/** The other side of a payment, as the signed-in user sees it ("@bob" or the display name). */
export function counterpart(p: Payment): PaymentParty {
  return p.direction === 'sent' ? p.recipient : p.payer;
}

export function partyLabel(party: PaymentParty): string {
  if (party.handle) return `@${party.handle}`;
  return party.displayName ?? '?';
}

/** Public link to a payment tweet (X redirects /i/web/status/<id> to the author's URL). */
export function tweetUrl(tweetId: string): string {
  return `https://x.com/i/web/status/${encodeURIComponent(tweetId)}`;
}

interface Props {
  payments: Payment[];
  /**
   * Payments waiting for the user get their actions: a hand-typed tweet Confirm / Cancel, a payment waiting for
   * its tweet "Post the tweet" (X's composer with the exact text) / Cancel.
   */
  pending?: boolean;
  /** Ids of hand-typed payments whose tweet the extension did not write: marked next to their Confirm button. */
  notWrittenByUs?: readonly string[];
  /** Id of the payment whose action is in progress (its buttons are disabled). */
  busyId?: string | null;
  onConfirm?: (p: Payment) => void;
  onCancel?: (p: Payment) => void;
  testId: string;
  labelledBy: string;
}

/** A list of payments: counterpart, amount, status, message, and a link to the tweet when there is one. */
export function PaymentList({
  payments,
  pending,
  notWrittenByUs,
  busyId,
  onConfirm,
  onCancel,
  testId,
  labelledBy,
}: Props) {
  const { t, money, date } = useI18n();
  return (
    <ul class="list" data-testid={testId} aria-labelledby={labelledBy}>
      {payments.map((p) => {
        const other = partyLabel(counterpart(p));
        const sent = p.direction === 'sent';
        return (
          <li class="list__item" key={p.id} data-payment-id={p.id}>
            <div class="row row--between">
              <span class="ellipsis" title={counterpart(p).displayName ?? undefined}>
                {sent ? t('popup.to', { who: other }) : t('popup.from', { who: other })}
              </span>
              <span class={`amount${sent ? '' : ' amount--in'}`}>
                {sent ? '−' : '+'}
                {money(p.amountCents)}
              </span>
            </div>
            {p.message && <p class="muted ellipsis">{p.message}</p>}
            <div class="row row--between row--wrap">
              <span class="row">
                <StatusBadge status={p.status} />
                <span class="muted nowrap">{date(p.createdAt)}</span>
              </span>
              {p.tweetId && (
                <a class="muted nowrap" href={tweetUrl(p.tweetId)} target="_blank" rel="noopener noreferrer">
                  {t('popup.viewTweet')}
                </a>
              )}
            </div>
            {pending && (
              <>
                {p.expiresAt && <p class="muted">{t('popup.expires', { time: date(p.expiresAt) })}</p>}
                {p.status === 'awaiting_confirmation' && notWrittenByUs?.includes(p.id) && (
                  <p class="notice notice--warn" data-testid="not-written-by-us" id={`unverified-${p.id}`}>
                    {t('popup.notWrittenByUs')}
                  </p>
                )}
                <div class="row">
                  {p.status === 'awaiting_tweet' && p.tweetText ? (
                    <a
                      class="btn btn--primary btn--small"
                      href={tweetIntentUrl(p.tweetText, p.replyToTweetId)}
                      target="_blank"
                      rel="noopener noreferrer"
                      data-testid="post-tweet"
                      aria-label={`${t('popup.postTweet')} ${money(p.amountCents)} ${other}`}
                    >
                      {t('popup.postTweet')}
                    </a>
                  ) : (
                    <button
                      type="button"
                      class="btn btn--primary btn--small"
                      disabled={busyId === p.id}
                      onClick={() => onConfirm?.(p)}
                      aria-label={`${t('popup.confirm')} ${money(p.amountCents)} ${other}`}
                      aria-describedby={notWrittenByUs?.includes(p.id) ? `unverified-${p.id}` : undefined}
                    >
                      {t('popup.confirm')}
                    </button>
                  )}
                  <button
                    type="button"
                    class="btn btn--small"
                    disabled={busyId === p.id}
                    onClick={() => onCancel?.(p)}
                    aria-label={`${t('cancel')} ${money(p.amountCents)} ${other}`}
                  >
                    {t('cancel')}
                  </button>
                </div>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
