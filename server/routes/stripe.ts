/**
 * Stripe's webhook and the pages Checkout sends the user back to. The webhook reads the raw body and checks its
 * `Stripe-Signature` with the SDK against `STRIPE_WEBHOOK_SECRET` before anything parses it (400 otherwise, as
 * Stripe expects); a verified event is applied to the ledger once per event id (server/topups.ts), then 200.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type Stripe from 'stripe';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import { toTopUpEvent } from '../stripe';
import { applyTopUpEvent, knowsPaymentIntent } from '../topups';
import { json, problems, type App } from './common';

const PAGES = {
  done: {
    en: [
      'Payment received',
      'Your wallet is credited as soon as Stripe confirms the payment (usually within seconds). You can close this tab.',
    ],
    fr: [
      'Paiement reçu',
      'Votre portefeuille est crédité dès que Stripe confirme le paiement (en général en quelques secondes). Vous pouvez fermer cet onglet.',
    ],
  },
  canceled: {
    en: ['Payment canceled', 'Nothing was charged. You can close this tab and try again from the extension.'],
    fr: [
      'Paiement annulé',
      'Rien n’a été débité. Vous pouvez fermer cet onglet et recommencer depuis l’extension.',
    ],
  },
} as const;

function page(kind: keyof typeof PAGES, acceptLanguage: string | undefined): string {
  const lang = /^\s*fr\b/i.test(acceptLanguage ?? '') ? 'fr' : 'en';
  const [title, text] = PAGES[kind][lang];
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} · Tweetez Payez</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f7f9f9;color:#0f1419}main{max-width:32rem;margin:4rem auto;padding:1.5rem;background:#fff;border-radius:14px}@media (prefers-color-scheme:dark){body{background:#000;color:#e7e9ea}main{background:#16181c}}</style></head><body><main><h1>${title}</h1><p>${text}</p></main></body></html>`;
}

export function registerStripeRoutes(app: App, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/webhooks/stripe',
      tags: ['stripe'],
      description:
        'Stripe events (`checkout.session.completed`, `checkout.session.async_payment_succeeded`, ' +
        '`checkout.session.async_payment_failed`, `checkout.session.expired`, `charge.refunded`), signed with ' +
        '`Stripe-Signature` under the endpoint’s secret. Each event id is applied once.',
      // No request schema on purpose: nothing may parse the body before its signature is verified.
      responses: {
        200: json(
          z.object({ received: z.literal(true) }),
          'The event is applied (or not one the wallet uses)',
        ),
        ...problems(400, 404, 413),
      },
    }),
    async (c) => {
      if (!deps.stripe) throw new ApiError('not_found', 'Stripe is not configured on this wallet.');
      const raw = Buffer.from(await c.req.arrayBuffer());
      let event: Stripe.Event;
      try {
        event = deps.stripe.client.webhooks.constructEvent(
          raw,
          c.req.header('stripe-signature') ?? '',
          deps.stripe.webhookSecret,
          undefined,
          undefined,
          deps.clock().getTime(),
        );
      } catch {
        deps.log.info('stripe webhook signature rejected', { requestId: c.get('requestId') });
        throw new ApiError('invalid_request', 'Bad or missing Stripe-Signature.');
      }
      const ask = toTopUpEvent(event);
      // A refund seen before its payment was credited (events out of order): which Checkout Session paid that
      // PaymentIntent is asked of Stripe (a failure answers 500, and Stripe delivers the event again later).
      if (
        ask?.kind === 'refunded' &&
        ask.paymentIntentId &&
        !(await knowsPaymentIntent(deps.db, ask.paymentIntentId))
      ) {
        const found = await deps.stripe.client.checkout.sessions.list({
          payment_intent: ask.paymentIntentId,
          limit: 1,
        });
        ask.sessionId = found.data[0]?.id ?? null;
      }
      if (ask) {
        const r = await applyTopUpEvent(deps, event.id, event.type, ask);
        deps.log.info('stripe event', { eventId: event.id, type: event.type, ...r });
      }
      return c.json({ received: true as const }, 200);
    },
  );

  for (const kind of ['done', 'canceled'] as const) {
    app.get(`/top-up/${kind}`, (c) =>
      c.html(page(kind, c.req.header('accept-language')), 200, {
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      }),
    );
  }
}
