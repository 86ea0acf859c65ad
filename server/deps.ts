import type { WalletConfig } from '../core/wallet-types';
import type { Db } from './db';
import type { Logger } from './log';
import type { PaymentBatcher } from './payments/batch';
import type { StripeSetup } from './stripe';
import type { XConfig } from './x/config';

/** Everything the app needs from outside; tests build their own. */
export interface Deps {
  db: Db;
  config: WalletConfig;
  /** "Now", injectable so tests can expire things without waiting. */
  clock: () => Date;
  /** Enables the sandbox-only endpoints (X account linking without OAuth, card top-ups). */
  sandbox: boolean;
  /** Card top-ups through Stripe Checkout; without it, top-ups are instant in the sandbox, unavailable otherwise. */
  stripe?: StripeSetup;
  /** Bounds of one card top-up, integer cents (default 5 € to 500 €). */
  topUpLimits?: { minCents: number; maxCents: number };
  /** X app consumer secret for the webhook; without it the webhook refuses everything. */
  xConsumerSecret?: string;
  /** How to reach X (Sign in with X, the bot's replies, the stream); absent in most tests. */
  x?: XConfig;
  /** The bot's X user id, when known: its own posts never pay (its handle is `config.botHandle`). */
  xBotUserId?: string;
  log: Logger;
  /** scrypt cost parameter N for new password hashes (default 2^15). */
  scryptN?: number;
  /** Group commit of new payments (server/payments/batch.ts); without it each payment is its own statement. */
  batcher?: PaymentBatcher;
  /** Test seam: awaited after an idempotency key is claimed, before the request executes. */
  beforeExecute?: (key: string) => Promise<void>;
}

/** Hono environment of every route. */
export interface AppEnv {
  Variables: { requestId: string; accountId: string; familyId: string };
}
