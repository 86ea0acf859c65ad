/**
 * Payment rules shared by the wallet server (the authority) and the extension (to explain them before
 * sending): per-payment limits, self-payment, business fees. Pure functions over integer cents.
 * The rules of docs/wallet-api.md "Rules" (the limits and fees of S-money's 2014 service).
 */
import type { AccountKind, WalletConfig } from './wallet-types';

/** Defaults published by `GET /v1/config`. */
export const DEFAULT_CONFIG: WalletConfig = {
  botHandle: 'SMoneyfr',
  hashtag: 'envoyer',
  currency: 'EUR',
  limits: { personCents: 25_000, associationCents: 50_000, unregisteredCents: 25_000 },
  minCents: 1,
  claimDays: 14,
  confirmMinutes: 15,
  businessFeeBps: { min: 100, max: 200 },
};

/** Commission of a business account that did not choose one (1.5 %). */
export const DEFAULT_BUSINESS_FEE_BPS = 150;

/** Rule violations, named like the wallet API error codes they map to. */
export type RuleViolation = 'invalid_request' | 'limit_exceeded' | 'self_payment';

/** What the rules need to know about a recipient. */
export interface RecipientFacts {
  registered: boolean;
  /** Ignored when not registered (an X user without a wallet is treated as a person). */
  kind: AccountKind;
  /** Business commission in basis points; the default applies when absent. */
  feeBps?: number | null;
}

/** Largest amount one payment may carry to this recipient, in cents. */
export function limitCents(recipient: RecipientFacts, config: WalletConfig = DEFAULT_CONFIG): number {
  if (!recipient.registered) return config.limits.unregisteredCents;
  return recipient.kind === 'association' ? config.limits.associationCents : config.limits.personCents;
}

/** Whether a business commission is within the published bounds. */
export function isValidFeeBps(bps: number, config: WalletConfig = DEFAULT_CONFIG): boolean {
  return Number.isInteger(bps) && bps >= config.businessFeeBps.min && bps <= config.businessFeeBps.max;
}

/** Commission rate the recipient pays on what it receives: businesses only, individuals and associations 0. */
export function feeBpsFor(recipient: RecipientFacts): number {
  if (!recipient.registered || recipient.kind !== 'business') return 0;
  return recipient.feeBps ?? DEFAULT_BUSINESS_FEE_BPS;
}

/**
 * Fee in cents for `amountCents` at `bps` basis points, rounded half-up to the cent, in integer
 * arithmetic (BigInt, so no intermediate product ever loses precision).
 */
export function feeCents(amountCents: number, bps: number): number {
  if (!Number.isSafeInteger(amountCents) || amountCents < 0)
    throw new RangeError('amountCents must be a safe integer ≥ 0');
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000)
    throw new RangeError('bps must be an integer in 0..10000');
  return Number((BigInt(amountCents) * BigInt(bps) + 5_000n) / 10_000n);
}

export type PaymentCheck =
  | { ok: true; limitCents: number; feeBps: number; feeCents: number; netCents: number }
  | { ok: false; reason: RuleViolation; detail: string };

/**
 * Checks one payment against the rules (not the balance, which only the ledger knows).
 * `isSelf` is true when the recipient is the payer's own account or X account.
 */
export function checkPayment(
  input: { amountCents: number; isSelf: boolean; recipient: RecipientFacts },
  config: WalletConfig = DEFAULT_CONFIG,
): PaymentCheck {
  const { amountCents, recipient } = input;
  if (!Number.isSafeInteger(amountCents)) {
    return {
      ok: false,
      reason: 'invalid_request',
      detail: 'amountCents must be an integer number of cents.',
    };
  }
  if (amountCents < config.minCents) {
    return {
      ok: false,
      reason: 'invalid_request',
      detail: `The minimum payment is ${config.minCents} cent(s).`,
    };
  }
  if (input.isSelf) return { ok: false, reason: 'self_payment', detail: 'You cannot pay yourself.' };
  const limit = limitCents(recipient, config);
  if (amountCents > limit) {
    return {
      ok: false,
      reason: 'limit_exceeded',
      detail: `The limit for this recipient is ${limit} cents per payment.`,
    };
  }
  const bps = feeBpsFor(recipient);
  const fee = feeCents(amountCents, bps);
  return { ok: true, limitCents: limit, feeBps: bps, feeCents: fee, netCents: amountCents - fee };
}
