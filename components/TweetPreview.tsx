import { useI18n } from './i18n-context';

/** The formatter's answer (core/payment-tweet.ts `formatPaymentTweet`), with the refusal already in words. */
export type TweetPreviewState =
  { ok: true; text: string; weightedLength: number } | { ok: false; reason: string } | null;

export const MAX_TWEET_LENGTH = 280;

/** The exact tweet text that will be posted, its weighted length, and the public-visibility warning. */
export function TweetPreview({ state, handle }: { state: TweetPreviewState; handle: string }) {
  const { t } = useI18n();
  return (
    <section class="stack" aria-labelledby="tweet-title">
      <div class="row row--between">
        <h2 id="tweet-title" class="label">
          {t('confirm.tweet')}
        </h2>
        {state?.ok && (
          <span
            data-testid="tweet-length"
            class={`counter${state.weightedLength > MAX_TWEET_LENGTH ? ' counter--over' : ''}`}
          >
            {state.weightedLength}/{MAX_TWEET_LENGTH}
          </span>
        )}
      </div>
      {state?.ok ? (
        <p class="tweet" data-testid="tweet-preview" lang="fr">
          {state.text}
        </p>
      ) : state ? (
        <p class="notice notice--danger" data-testid="tweet-refused" role="alert">
          {t('tweet.refused', { reason: state.reason })}
        </p>
      ) : (
        <p class="muted">{t('confirm.chooseAmount')}</p>
      )}
      <p class="notice notice--warn" data-testid="public-notice">
        {t('confirm.publicNotice', { handle })}
      </p>
    </section>
  );
}
