/**
 * A local stand-in for the few Stripe endpoints the wallet uses, speaking Stripe's formats (form-encoded requests
 * as the official SDK sends them, JSON objects as the API answers them, `Idempotency-Key` honoured), plus a
 * Checkout page with a Pay and a Cancel button, and webhook events signed with the SDK's own test-header helper.
 *
 * - `POST /v1/checkout/sessions`, `GET /v1/checkout/sessions/:id`: what `stripe.checkout.sessions` calls.
 * - `GET /pay/:id`: the hosted Checkout page (the session's `url`); its Pay button marks the session paid, sends
 *   `checkout.session.completed` to the wallet's webhook, and redirects to `success_url`.
 * - `pay()`, `refund()`, `fail()`: the same events driven from a test, and `event()` to build one without sending.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export const WEBHOOK_SECRET = 'whsec_test_tweetez_payez_standin';
export const SECRET_KEY = 'sk_test_tweetez_payez_standin';

export interface FakeSession {
  id: string;
  object: 'checkout.session';
  mode: 'payment';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer_email: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  success_url: string;
  cancel_url: string;
  url: string;
  livemode: false;
  created: number;
  /** Not Stripe's: the metadata asked for the PaymentIntent (copied onto its charge). */
  _piMetadata: Record<string, string>;
}

const sdk = new Stripe(SECRET_KEY);
const rid = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

/** Stripe's form encoding back to an object: `a[b][0][c]=1` → `{ a: { b: [{ c: '1' }] } }`. */
export function parseForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node: Record<string, unknown> = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= /^\d+$/.test(path[i + 1]!) ? [] : {}) as Record<string, unknown>;
    });
  }
  return out;
}

export interface FakeStripe {
  /** `STRIPE_API_URL` for the wallet. */
  url: string;
  sessions: Map<string, FakeSession>;
  /** Where events go (the wallet's `/v1/webhooks/stripe`); set before paying. */
  webhookUrl: string | null;
  /** Every request the SDK made (method, path, parsed body, idempotency key). */
  requests: { method: string; path: string; body: Record<string, unknown>; idempotencyKey?: string }[];
  /** A signed event for `object`, not sent: `{ payload, header }`. */
  event(type: string, object: object, opts?: { id?: string; secret?: string }): SignedEvent;
  /** Marks the session paid (PaymentIntent + charge): its signed `checkout.session.completed`. */
  paidEvent(sessionId: string): SignedEvent;
  /** Refunds `amountCents` more of the session's charge: its signed `charge.refunded` (cumulative amount). */
  refundEvent(sessionId: string, amountCents: number): SignedEvent;
  /** The signed `checkout.session.async_payment_failed` of a session. */
  failedEvent(sessionId: string): SignedEvent;
  /** The same, delivered to `webhookUrl`. */
  pay(sessionId: string): Promise<Delivery>;
  refund(sessionId: string, amountCents: number): Promise<Delivery>;
  fail(sessionId: string): Promise<Delivery>;
  /** Sends a signed event to the webhook. */
  deliver(e: SignedEvent): Promise<Delivery>;
  /** The wallet's Stripe settings that point at this stand-in (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, …). */
  walletSettings(publicUrl: string): {
    secretKey: string;
    webhookSecret: string;
    publicUrl: string;
    apiUrl: string;
  };
  close(): Promise<void>;
}

export interface SignedEvent {
  id: string;
  payload: string;
  header: string;
}

export interface Delivery {
  event: SignedEvent;
  status: number;
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const sessions = new Map<string, FakeSession>();
  const charges = new Map<string, { id: string; amount: number; amount_refunded: number; pi: string }>();
  const idempotent = new Map<string, string>();
  const requests: FakeStripe['requests'] = [];
  let base = '';

  const stripeError = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { type: 'invalid_request_error', message } }));
  };
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const publicSession = ({ _piMetadata: _, ...s }: FakeSession) => s;

  const fake: FakeStripe = {
    url: '',
    sessions,
    webhookUrl: null,
    requests,
    walletSettings: (publicUrl) => ({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      publicUrl,
      apiUrl: fake.url,
    }),
    event(type, object, opts = {}) {
      const id = opts.id ?? rid('evt');
      const payload = JSON.stringify({
        id,
        object: 'event',
        api_version: '2026-10-28.endive',
        created: Math.floor(Date.now() / 1000),
        type,
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        data: { object },
      });
      const header = sdk.webhooks.generateTestHeaderString({
        payload,
        secret: opts.secret ?? WEBHOOK_SECRET,
      });
      return { id, payload, header };
    },
    async deliver(e) {
      if (!fake.webhookUrl) throw new Error('fake stripe: no webhookUrl');
      const res = await fetch(fake.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': e.header },
        body: e.payload,
      });
      await res.arrayBuffer();
      return { event: e, status: res.status };
    },
    pay: (id) => fake.deliver(fake.paidEvent(id)),
    refund: (id, amount) => fake.deliver(fake.refundEvent(id, amount)),
    fail: (id) => fake.deliver(fake.failedEvent(id)),
    paidEvent(sessionId) {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`fake stripe: no session ${sessionId}`);
      if (!s.payment_intent) {
        const pi = rid('pi');
        const ch = rid('ch');
        charges.set(ch, { id: ch, amount: s.amount_total, amount_refunded: 0, pi });
        Object.assign(s, { payment_intent: pi, status: 'complete', payment_status: 'paid' });
      }
      return fake.event('checkout.session.completed', publicSession(s));
    },
    refundEvent(sessionId, amountCents) {
      const s = sessions.get(sessionId);
      const charge = [...charges.values()].find((c) => c.pi === s?.payment_intent);
      if (!s || !charge) throw new Error(`fake stripe: session ${sessionId} is not paid`);
      charge.amount_refunded = Math.min(charge.amount, charge.amount_refunded + amountCents);
      return fake.event('charge.refunded', {
        id: charge.id,
        object: 'charge',
        amount: charge.amount,
        amount_refunded: charge.amount_refunded,
        refunded: charge.amount_refunded === charge.amount,
        currency: s.currency,
        payment_intent: charge.pi,
        // Not assumed to inherit the PaymentIntent's metadata: the wallet must find the top-up without it.
        metadata: {},
        paid: true,
        status: 'succeeded',
      });
    },
    failedEvent(sessionId) {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`fake stripe: no session ${sessionId}`);
      return fake.event('checkout.session.async_payment_failed', publicSession(s));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', base);
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = parseForm(raw);
        const key = req.headers['idempotency-key'];
        if (url.pathname.startsWith('/v1/')) {
          requests.push({
            method: req.method ?? 'GET',
            path: url.pathname,
            body,
            ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
          });
          if (req.headers.authorization !== `Bearer ${SECRET_KEY}`) {
            return stripeError(res, 401, 'Invalid API Key provided');
          }
        }
        const sessionPath = /^\/v1\/checkout\/sessions\/([\w]+)$/.exec(url.pathname);
        if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
          const cacheKey = typeof key === 'string' ? key : null;
          const known = cacheKey ? idempotent.get(cacheKey) : undefined;
          if (known) return send(res, 200, publicSession(sessions.get(known)!));
          const item = (body.line_items as Record<string, unknown>[] | undefined)?.[0] as
            { quantity?: string; price_data?: { currency?: string; unit_amount?: string } } | undefined;
          const amount = Number(item?.price_data?.unit_amount) * Number(item?.quantity ?? 1);
          if (body.mode !== 'payment' || !Number.isSafeInteger(amount) || amount < 50) {
            return stripeError(res, 400, 'Invalid line_items or mode');
          }
          if (typeof body.success_url !== 'string' || typeof body.cancel_url !== 'string') {
            return stripeError(res, 400, 'Missing required param: success_url.');
          }
          const id = rid('cs');
          const session: FakeSession = {
            id,
            object: 'checkout.session',
            mode: 'payment',
            status: 'open',
            payment_status: 'unpaid',
            amount_total: amount,
            currency: item?.price_data?.currency ?? 'eur',
            client_reference_id: (body.client_reference_id as string | undefined) ?? null,
            customer_email: (body.customer_email as string | undefined) ?? null,
            metadata: (body.metadata as Record<string, string> | undefined) ?? {},
            payment_intent: null,
            success_url: body.success_url,
            cancel_url: body.cancel_url,
            url: `${base}/pay/${id}`,
            livemode: false,
            created: Math.floor(Date.now() / 1000),
            _piMetadata:
              ((body.payment_intent_data as Record<string, unknown> | undefined)?.metadata as
                Record<string, string> | undefined) ?? {},
          };
          sessions.set(id, session);
          if (cacheKey) idempotent.set(cacheKey, id);
          return send(res, 200, publicSession(session));
        }
        if (req.method === 'GET' && url.pathname === '/v1/checkout/sessions') {
          const pi = url.searchParams.get('payment_intent');
          const data = [...sessions.values()]
            .filter((x) => !pi || x.payment_intent === pi)
            .slice(0, Number(url.searchParams.get('limit') ?? 10))
            .map(publicSession);
          return send(res, 200, { object: 'list', url: '/v1/checkout/sessions', has_more: false, data });
        }
        if (req.method === 'GET' && sessionPath) {
          const s = sessions.get(sessionPath[1]!);
          return s ? send(res, 200, publicSession(s)) : stripeError(res, 404, 'No such checkout.session');
        }
        const payPage = /^\/pay\/([\w]+)$/.exec(url.pathname);
        if (payPage) {
          const s = sessions.get(payPage[1]!);
          if (!s) return stripeError(res, 404, 'No such checkout.session');
          if (req.method === 'POST') {
            const action = new URLSearchParams(raw).get('action');
            if (action === 'pay') await fake.pay(s.id);
            res.writeHead(303, { location: action === 'pay' ? s.success_url : s.cancel_url });
            return res.end();
          }
          const euros = (s.amount_total / 100).toFixed(2);
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          return res.end(
            `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stripe Checkout (stand-in)</title></head>` +
              `<body><main><h1>Pay ${euros} EUR</h1><form method="post">` +
              `<button name="action" value="pay" data-testid="fake-stripe-pay">Pay</button>` +
              `<button name="action" value="cancel" data-testid="fake-stripe-cancel">Cancel</button>` +
              `</form></main></body></html>`,
          );
        }
        stripeError(res, 404, `Unrecognized request URL (${req.method}: ${url.pathname})`);
      })().catch((err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = base;
  return fake;
}
