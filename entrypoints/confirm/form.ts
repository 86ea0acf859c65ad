/**
 * What the confirm window shows for the current form: the amount, the checks that would make the server refuse
 * (explained BEFORE confirming), the fee, the balance after payment and the exact tweet. Pure; the server stays
 * the authority and its own errors are shown as they come.
 */
import type { ConfirmContext } from '../../utils/messaging';
import type { AccountKind, PaymentMode, WalletConfig } from '../../core/wallet-types';

export type AmountProblem =
  | { code: 'below_min'; minCents: number }
  | { code: 'limit_exceeded'; limitCents: number }
  | { code: 'insufficient_funds'; availableCents: number }
  | { code: 'self_payment' };

export type TweetResult = { ok: true; text: string; weightedLength: number } | { ok: false; reason: string };

export interface ConfirmDeps {
  formatTweet: (input: {
    botHandle: string;
    hashtag: string;
    amountCents: number;
    recipientHandle: string;
    message?: string;
  }) => TweetResult;
  /** core/rules.ts `checkPayment`: limits, self-payment and the business commission (not the balance). */
  check: (
    input: {
      amountCents: number;
      isSelf: boolean;
      recipient: { registered: boolean; kind: AccountKind; feeBps?: number | null };
    },
    config: WalletConfig,
  ) => { ok: true; feeCents: number; netCents: number } | { ok: false; reason: string };
}

export interface ConfirmView {
  problem: AmountProblem | null;
  feeCents: number;
  /** What the recipient receives (amount minus a business's commission). */
  netCents: number;
  balanceAfterCents: number;
  /** The tweet, in tweet mode once an amount is chosen. */
  tweet: TweetResult | null;
  /** Whether Confirm may be pressed (besides the focus/arming delay). */
  canConfirm: boolean;
}

export function computeConfirmView(
  ctx: ConfirmContext,
  amountCents: number | null,
  message: string,
  mode: PaymentMode,
  deps: ConfirmDeps,
): ConfirmView {
  const { recipient, config, me } = ctx;
  const available = me.balance.availableCents;
  const isSelf = !!me.xHandle && me.xHandle.toLowerCase() === recipient.handle.toLowerCase();
  let problem: AmountProblem | null = isSelf ? { code: 'self_payment' } : null;
  let feeCents = 0;
  if (amountCents !== null && !problem) {
    const checked = deps.check(
      {
        amountCents,
        isSelf,
        recipient: { registered: recipient.registered, kind: recipient.kind, feeBps: recipient.feeBps },
      },
      config,
    );
    if (checked.ok) {
      feeCents = checked.feeCents;
      if (amountCents > available) problem = { code: 'insufficient_funds', availableCents: available };
    } else if (checked.reason === 'limit_exceeded') {
      problem = { code: 'limit_exceeded', limitCents: recipient.limitCents };
    } else if (checked.reason === 'self_payment') {
      problem = { code: 'self_payment' };
    } else {
      problem = { code: 'below_min', minCents: config.minCents };
    }
  }
  const amount = amountCents ?? 0;
  const trimmed = message.trim();
  const tweet =
    mode === 'tweet' && amountCents !== null && amountCents >= 1
      ? deps.formatTweet({
          botHandle: config.botHandle,
          hashtag: config.hashtag,
          amountCents,
          recipientHandle: recipient.handle,
          ...(trimmed ? { message: trimmed } : {}),
        })
      : null;
  return {
    problem,
    feeCents,
    netCents: amount - feeCents,
    balanceAfterCents: available - amount,
    tweet,
    canConfirm: amountCents !== null && problem === null && (mode === 'private' || tweet?.ok === true),
  };
}
