/**
 * Card top-ups through Stripe Checkout, against the local Stripe stand-in (the official SDK talks to it over
 * HTTP) and events signed with the SDK's test-header helper: credited once, whatever Stripe redelivers or
 * reorders; refunds take back what is there and put the wallet on hold for the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SECRET_KEY,
  startFakeStripe,
  WEBHOOK_SECRET,
  type FakeStripe,
  type SignedEvent,
} from '../tests/fake-stripe';
import { assertInvariants } from './ledger';
import { createStripeClient } from './stripe';
import { setupWallet, uniq, type TestWallet, type User } from '../tests/helpers/server-app';

let stripe: FakeStripe;
let w: TestWallet;
beforeAll(async () => {
  stripe = await startFakeStripe();
  w = await setupWallet({
    sandbox: true,
    stripe: {
      client: createStripeClient(SECRET_KEY, stripe.url),
      webhookSecret: WEBHOOK_SECRET,
      publicUrl: 'https://wallet.example.com',
    },
    topUpLimits: { minCents: 500, maxCents: 50_000 },
  });
});
afterAll(async () => {
  await w?.close();
  await stripe?.close();
});

const deliver = (e: SignedEvent, header = e.header) =>
  w.req('POST', '/v1/webhooks/stripe', { body: e.payload, headers: { 'stripe-signature': header } });

async function topUp(u: User, amountCents: number, key = uniq('k')) {
  const r = await w.req('POST', '/v1/me/top-ups', {
    token: u.tokens.accessToken,
    key,
    body: { amountCents },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  const sessionId = new URL(r.body.checkoutUrl).pathname.split('/').pop()!;
  return { ...r, sessionId, topUpId: r.body.topUp.id as string };
}
const balance = async (u: User) => (await w.me(u)).balance.availableCents;
const history = async (u: User) =>
  (await w.req('GET', '/v1/me/top-ups', { token: u.tokens.accessToken })).body.items as {
    id: string;
    status: string;
    amountCents: number;
    refundedCents: number;
  }[];

describe('card top-ups (Stripe Checkout)', () => {
  it('publishes the card method and its bounds, and creates a Checkout Session for the amount', async () => {
    const config = (await w.req('GET', '/v1/config')).body;
    expect(config.topUps).toEqual({ method: 'card', minCents: 500, maxCents: 50_000 });
    expect(config.accounts.passwordMinLength).toBe(10);

    const u = await w.user();
    const key = uniq('k');
    const t = await topUp(u, 2000, key);
    expect(t.body.topUp).toMatchObject({ amountCents: 2000, currency: 'EUR', status: 'pending' });
    const session = stripe.sessions.get(t.sessionId)!;
    expect(session).toMatchObject({
      amount_total: 2000,
      currency: 'eur',
      client_reference_id: t.topUpId,
      customer_email: u.email,
      metadata: { top_up_id: t.topUpId, account_id: u.id },
      success_url: 'https://wallet.example.com/top-up/done',
      cancel_url: 'https://wallet.example.com/top-up/canceled',
    });
    // The same Idempotency-Key: the same top-up and page, no second session.
    const before = stripe.sessions.size;
    const again = await topUp(u, 2000, key);
    expect(again.body).toEqual(t.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(stripe.sessions.size).toBe(before);
    const reused = await w.req('POST', '/v1/me/top-ups', {
      token: u.tokens.accessToken,
      key,
      body: { amountCents: 3000 },
    });
    expect(reused.status).toBe(422);
    // Nothing is credited before Stripe says so; history shows it pending.
    expect(await balance(u)).toBe(0);
    expect(await history(u)).toMatchObject([{ id: t.topUpId, status: 'pending', amountCents: 2000 }]);
  });

  it('refuses amounts outside the bounds', async () => {
    const u = await w.user();
    for (const amountCents of [499, 50_001]) {
      const r = await w.req('POST', '/v1/me/top-ups', {
        token: u.tokens.accessToken,
        key: uniq('k'),
        body: { amountCents },
      });
      expect(r.status).toBe(400);
      expect(r.body.detail).toContain('between 500 and 50000');
    }
  });

  it('credits once on checkout.session.completed, even when Stripe delivers it again or a copy comes later', async () => {
    const u = await w.user();
    const t = await topUp(u, 2000);
    const paid = stripe.paidEvent(t.sessionId);
    expect((await deliver(paid)).status).toBe(200);
    expect(await balance(u)).toBe(2000);
    // The same event again, and the same session in a new event (another delivery attempt with a new id).
    expect((await deliver(paid)).status).toBe(200);
    expect((await deliver(stripe.paidEvent(t.sessionId))).status).toBe(200);
    expect(await balance(u)).toBe(2000);
    expect(await history(u)).toMatchObject([{ id: t.topUpId, status: 'credited' }]);
    const transfers = await w.db.query<{ kind: string; debit_account_id: string; amount_cents: number }>(
      `SELECT kind, debit_account_id, amount_cents FROM transfers WHERE credit_account_id = $1`,
      [u.id],
    );
    expect(transfers.map((r) => [r.kind, r.debit_account_id, Number(r.amount_cents)])).toEqual([
      ['top_up', 'sys_funding', 2000],
    ]);
    await assertInvariants(w.db);
  });

  it('rejects a bad or missing signature and changes nothing', async () => {
    const u = await w.user();
    const t = await topUp(u, 1000);
    const forged = stripe.event('checkout.session.completed', { id: t.sessionId }, { secret: 'whsec_wrong' });
    expect((await deliver(forged)).status).toBe(400);
    const paid = stripe.paidEvent(t.sessionId);
    expect((await deliver(paid, '')).status).toBe(400);
    const tampered = {
      ...paid,
      payload: paid.payload.replace('"amount_total":1000', '"amount_total":99999'),
    };
    expect((await deliver(tampered)).status).toBe(400);
    expect(await balance(u)).toBe(0);
    // The genuine event still works afterwards (a rejected one is not recorded).
    expect((await deliver(paid)).status).toBe(200);
    expect(await balance(u)).toBe(1000);
  });

  it('acknowledges an unknown session and credits nobody', async () => {
    const before = await w.db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM transfers`);
    const stray = stripe.event('checkout.session.completed', {
      id: 'cs_test_not_ours',
      object: 'checkout.session',
      payment_status: 'paid',
      amount_total: 5000,
      currency: 'eur',
      client_reference_id: null,
      metadata: {},
      payment_intent: 'pi_test_not_ours',
    });
    expect((await deliver(stray)).status).toBe(200);
    const after = await w.db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM transfers`);
    expect(after[0]!.n).toBe(before[0]!.n);
    await assertInvariants(w.db);
  });

  it('credits nothing when the payment fails (async_payment_failed)', async () => {
    const u = await w.user();
    const t = await topUp(u, 1500);
    expect((await deliver(stripe.failedEvent(t.sessionId))).status).toBe(200);
    expect(await history(u)).toMatchObject([{ id: t.topUpId, status: 'failed' }]);
    expect(await balance(u)).toBe(0);
  });

  it('credits a delayed payment method only when it succeeds, and marks an abandoned Checkout expired', async () => {
    const u = await w.user();
    const t = await topUp(u, 2500);
    const session = stripe.sessions.get(t.sessionId)!;
    // A delayed method (SEPA…): completed but unpaid credits nothing; async_payment_succeeded does.
    const unpaid = stripe.event('checkout.session.completed', { ...session, status: 'complete' });
    expect((await deliver(unpaid)).status).toBe(200);
    expect(await balance(u)).toBe(0);
    const succeeded = stripe.event('checkout.session.async_payment_succeeded', {
      ...session,
      status: 'complete',
      payment_status: 'paid',
      payment_intent: 'pi_test_delayed',
    });
    expect((await deliver(succeeded)).status).toBe(200);
    expect(await balance(u)).toBe(2500);

    const other = await topUp(u, 1000);
    const expired = stripe.event('checkout.session.expired', {
      ...stripe.sessions.get(other.sessionId)!,
      status: 'expired',
    });
    expect((await deliver(expired)).status).toBe(200);
    expect((await history(u)).find((x) => x.id === other.topUpId)?.status).toBe('expired');
    expect(await balance(u)).toBe(2500);
    await assertInvariants(w.db);
  });

  it('handles a refund that arrives before the completed event (out of order): nothing is credited', async () => {
    const u = await w.user();
    const t = await topUp(u, 2000);
    const paid = stripe.paidEvent(t.sessionId);
    const refunded = stripe.refundEvent(t.sessionId, 2000);
    const asked = stripe.requests.length;
    expect((await deliver(refunded)).status).toBe(200);
    // The charge names only its PaymentIntent: the wallet asked Stripe which Checkout Session it paid.
    expect(stripe.requests.slice(asked)).toMatchObject([{ method: 'GET', path: '/v1/checkout/sessions' }]);
    expect((await deliver(paid)).status).toBe(200);
    expect(await balance(u)).toBe(0);
    expect(await history(u)).toMatchObject([{ id: t.topUpId, status: 'refunded', refundedCents: 2000 }]);
    await assertInvariants(w.db);
  });

  it('takes a refund back from the wallet, once per refunded amount, partial then full', async () => {
    const u = await w.user();
    const t = await topUp(u, 3000);
    await deliver(stripe.paidEvent(t.sessionId));
    const partial = stripe.refundEvent(t.sessionId, 1000);
    const full = stripe.refundEvent(t.sessionId, 2000);
    // Out of order and duplicated: the cumulative amount decides.
    expect((await deliver(full)).status).toBe(200);
    expect((await deliver(partial)).status).toBe(200);
    expect((await deliver(full)).status).toBe(200);
    expect(await balance(u)).toBe(0);
    expect((await w.me(u)).onHold).toBeUndefined();
    expect(await history(u)).toMatchObject([{ status: 'refunded', refundedCents: 3000 }]);
    await assertInvariants(w.db);
  });

  it('holds the wallet and records the shortfall when the money was already paid on; never a negative balance', async () => {
    const u = await w.user();
    const friend = await w.user();
    const t = await topUp(u, 2000);
    await deliver(stripe.paidEvent(t.sessionId));
    await w.pay(u, { recipientHandle: friend.handle, amountCents: 1500 });
    expect(await balance(u)).toBe(500);

    expect((await deliver(stripe.refundEvent(t.sessionId, 2000))).status).toBe(200);
    const me = await w.me(u);
    expect(me.balance.availableCents).toBe(0);
    expect(me.onHold).toBe(true);
    const [row] = await w.db.query<{ reclaimed_cents: number; shortfall_cents: number; status: string }>(
      `SELECT reclaimed_cents, shortfall_cents, status FROM top_ups WHERE id = $1`,
      [t.topUpId],
    );
    expect({
      reclaimed: Number(row!.reclaimed_cents),
      shortfall: Number(row!.shortfall_cents),
      status: row!.status,
    }).toEqual({ reclaimed: 500, shortfall: 1500, status: 'refunded' });
    // On hold: no payment goes out, even once money comes in again.
    const t2 = await topUp(u, 1000);
    await deliver(stripe.paidEvent(t2.sessionId));
    const refused = await w.req('POST', '/v1/payments', {
      token: u.tokens.accessToken,
      key: uniq('k'),
      body: { currency: 'EUR', mode: 'private', amountCents: 100, recipientHandle: friend.handle },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/on hold/);
    expect((await w.me(friend)).balance.availableCents).toBe(1500);
    await assertInvariants(w.db);
  });
});

describe('top-ups without Stripe', () => {
  it('say "not available on this wallet" outside the sandbox', async () => {
    const plain = await setupWallet({ sandbox: false });
    try {
      expect((await plain.req('GET', '/v1/config')).body.topUps).toMatchObject({ method: 'none' });
      const signup = await plain.req('POST', '/v1/accounts', {
        body: { email: `${uniq('e')}@test.example`, password: 'correct horse battery', displayName: 'N' },
      });
      expect(signup.status).toBe(201);
      const login = await plain.req('POST', '/v1/auth/login', {
        body: { email: signup.body.email, password: 'correct horse battery' },
      });
      const r = await plain.req('POST', '/v1/me/top-ups', {
        token: login.body.accessToken,
        key: uniq('k'),
        body: { amountCents: 1000 },
      });
      expect(r.status).toBe(403);
      expect(r.body.detail).toBe('Adding money is not available on this wallet.');
      const hook = await plain.req('POST', '/v1/webhooks/stripe', { body: '{}' });
      expect(hook.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('opening a wallet', () => {
  it('shares the per-email sign-in limit: repeated attempts on one address get 429 with Retry-After', async () => {
    const email = `${uniq('e')}@test.example`;
    const body = { email, password: 'correct horse battery', displayName: 'Limit' };
    expect((await w.req('POST', '/v1/accounts', { body })).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await w.req('POST', '/v1/accounts', { body })).status);
    expect(statuses.slice(0, 4)).toEqual([409, 409, 409, 409]);
    expect(statuses[4]).toBe(429);
    const login = await w.req('POST', '/v1/auth/login', { body: { email, password: body.password } });
    expect(login.status).toBe(429);
    expect(Number(login.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    const other = await w.req('POST', '/v1/accounts', {
      body: { ...body, email: `${uniq('e')}@test.example` },
    });
    expect(other.status).toBe(201);
  });
});
