/**
 * Stripe, through its official SDK: the client (pointed at `STRIPE_API_URL` when set: the SDK takes host, port
 * and protocol, which is how the tests reach their local stand-in), the Checkout Session of a top-up, and the
 * reduction of a verified event to what the ledger needs (server/topups.ts).
 */
import Stripe from 'stripe';
import type { TopUpEvent } from '../topups';

export interface StripeSetup {
  client: Stripe;
  /** `whsec_…`: the signing secret of the webhook endpoint. */
  webhookSecret: string;
  /** The wallet's public https address (Checkout sends the user back to it). */
  publicUrl: string;
}

export const STRIPE_API_DEFAULT = 'https://api.stripe.com';

export function createStripeClient(secretKey: string, apiUrl: string = STRIPE_API_DEFAULT): Stripe {
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(secretKey, {
    host: url.hostname,
    port: url.port || (protocol === 'http' ? 80 : 443),
    protocol,
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'tweetez-payez-wallet' },
  });
}

/** The Checkout Session paying one top-up (Stripe's idempotency key is the top-up id: a retry gets the same). */
export function createCheckoutSession(
  setup: StripeSetup,
  topUp: { id: string; accountId: string; amountCents: number; email: string },
): Promise<Stripe.Checkout.Session> {
  return setup.client.checkout.sessions.create(
    {
      mode: 'payment',
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: 'eur',
            unit_amount: topUp.amountCents,
            product_data: { name: 'Tweetez Payez wallet top-up' },
          },
        },
      ],
      customer_email: topUp.email,
      client_reference_id: topUp.id,
      metadata: { top_up_id: topUp.id, account_id: topUp.accountId },
      payment_intent_data: { metadata: { top_up_id: topUp.id } },
      success_url: `${setup.publicUrl}/top-up/done`,
      cancel_url: `${setup.publicUrl}/top-up/canceled`,
    },
    { idempotencyKey: `top-up-${topUp.id}` },
  );
}

const idOf = (v: unknown): string | null =>
  typeof v === 'string'
    ? v
    : v && typeof v === 'object' && 'id' in v
      ? String((v as { id: unknown }).id)
      : null;

/** What a verified event asks of the ledger, or null for events the wallet does not act on. */
export function toTopUpEvent(event: Stripe.Event): TopUpEvent | null {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const s = event.data.object;
      // A delayed method (SEPA debit…) completes unpaid; its async_payment_succeeded event credits later.
      if (s.payment_status !== 'paid') return null;
      return {
        kind: 'paid',
        sessionId: s.id,
        topUpId: s.client_reference_id ?? s.metadata?.top_up_id ?? null,
        amountTotal: s.amount_total ?? null,
        currency: s.currency ?? null,
        paymentIntentId: idOf(s.payment_intent),
      };
    }
    case 'checkout.session.async_payment_failed':
      return { kind: 'failed', sessionId: event.data.object.id };
    case 'checkout.session.expired':
      return { kind: 'expired', sessionId: event.data.object.id };
    case 'charge.refunded': {
      const ch = event.data.object;
      return {
        kind: 'refunded',
        paymentIntentId: idOf(ch.payment_intent),
        topUpId: ch.metadata?.top_up_id ?? null,
        amountRefunded: ch.amount_refunded,
      };
    }
    default:
      return null;
  }
}
