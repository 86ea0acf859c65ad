import type { MessageKey, Translate } from '@/utils/i18n';

/** Reasons of `formatPaymentTweet` (core/payment-tweet.ts) the payer can fix, each with its own words. */
const OWN_TEXT = new Set([
  'too_long',
  'message_has_mention',
  'message_has_hashtag',
  'message_has_amount',
  'message_has_link',
  'hidden_characters',
  'invalid_handle',
]);

/** Words for a refusal of `formatPaymentTweet`. */
export function tweetReasonText(t: Translate, reason: string): string {
  if (OWN_TEXT.has(reason)) return t(`tweet.reason.${reason}` as MessageKey);
  if (reason === 'recipient_is_bot') return t('tweet.reason.invalid_handle');
  if (reason.startsWith('amount_')) return t('tweet.reason.invalid_amount');
  return t('tweet.reason.other', { reason });
}
