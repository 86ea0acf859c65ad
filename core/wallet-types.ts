/**
 * Wallet API v1 data types (docs/wallet-api.md). The server's zod schemas must produce exactly these
 * shapes; the extension imports these types only (never server code). Money is integer cents.
 */

export type Currency = 'EUR';
export type AccountKind = 'person' | 'association' | 'business';
export type PaymentMode = 'tweet' | 'private';
export type PaymentStatus =
  'awaiting_tweet' | 'awaiting_confirmation' | 'claimable' | 'completed' | 'canceled' | 'refunded' | 'failed';

/** Statuses after which a payment never changes again. */
export const FINAL_STATUSES: readonly PaymentStatus[] = ['completed', 'canceled', 'refunded', 'failed'];

/** Every `code` a wallet problem+json may carry (docs/wallet-api.md, "Conventions"). */
export const ERROR_CODES = [
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'limit_exceeded',
  'insufficient_funds',
  'self_payment',
  'recipient_invalid',
  'idempotency_key_reused',
  'idempotency_in_flight',
  'conflict',
  'rate_limited',
  'payload_too_large',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** RFC 9457 problem details, as every error of the wallet API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
}

export interface WalletConfig {
  botHandle: string;
  hashtag: string;
  currency: Currency;
  limits: { personCents: number; associationCents: number; unregisteredCents: number };
  minCents: number;
  claimDays: number;
  confirmMinutes: number;
  businessFeeBps: { min: number; max: number };
}

export interface Balance {
  availableCents: number;
  heldCents: number;
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  kind: AccountKind;
  xHandle: string | null;
  xUserId: string | null;
  balance: Balance;
  currency: Currency;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface Recipient {
  handle: string;
  registered: boolean;
  displayName?: string;
  kind: AccountKind;
  limitCents: number;
  feeBps: number;
}

export interface PaymentParty {
  handle: string | null;
  displayName: string | null;
}

export interface Payment {
  id: string;
  direction: 'sent' | 'received';
  payer: PaymentParty;
  recipient: PaymentParty & { registered: boolean };
  amountCents: number;
  feeCents: number;
  currency: Currency;
  message: string | null;
  mode: PaymentMode;
  status: PaymentStatus;
  /** Why a payment failed (status `failed`), when known. */
  failureReason?: string | null;
  tweetText: string | null;
  tweetId: string | null;
  replyToTweetId: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
}

export interface PaymentList {
  items: Payment[];
  nextCursor: string | null;
}

export interface CreatePaymentBody {
  recipientHandle: string;
  amountCents: number;
  currency: Currency;
  message?: string;
  mode: PaymentMode;
  replyToTweetId?: string;
}
