/**
 * The signed-in account: X account link (sandbox), top-ups (a Stripe Checkout page with Stripe configured,
 * instant in the sandbox), the top-up history, recipient lookup.
 */
import { createRoute } from '@hono/zod-openapi';
import {
  DEFAULT_CONFIG,
  DEFAULT_TOPUP_MAX_CENTS,
  DEFAULT_TOPUP_MIN_CENTS,
  feeBpsFor,
  limitCents,
} from '../../core/rules';
import type { Recipient, TopUpConfig } from '../../core/wallet-types';
import { findByHandle, getAccount, toMe } from '../accounts';
import { linkXAccount } from '../x/link';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import { idempotent } from '../idempotency';
import { post, SYSTEM } from '../ledger';
import {
  HandleParamSchema,
  IdempotencyHeaderSchema,
  LinkXAccountSchema,
  MeSchema,
  RecipientSchema,
  TopUpCheckoutSchema,
  TopUpListSchema,
  TopUpSchema,
} from '../schemas';
import { createCheckoutSession } from '../stripe';
import { attachSession, claimTopUp, listTopUps, toTopUp } from '../topups';
import { bearer, json, jsonBody, problems, reply, type App } from './common';

/** How this wallet takes money in (published in `/v1/config`). */
export function topUpConfig(deps: Deps): TopUpConfig {
  const limits = deps.topUpLimits ?? { minCents: DEFAULT_TOPUP_MIN_CENTS, maxCents: DEFAULT_TOPUP_MAX_CENTS };
  const method = deps.stripe ? 'card' : deps.sandbox ? 'instant' : 'none';
  return { method, ...limits };
}

export function registerAccountRoutes(app: App, deps: Deps) {
  const sandboxOnly = () => {
    if (!deps.sandbox) {
      throw new ApiError('forbidden', 'This endpoint exists in sandbox mode only (WALLET_SANDBOX=1).');
    }
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/x-account',
      tags: ['accounts'],
      security: bearer,
      description:
        'Sandbox only: links an X account (production links through X OAuth) and credits every claimable ' +
        'payment for that X account.',
      request: { body: jsonBody(LinkXAccountSchema) },
      responses: { 200: json(MeSchema, 'The account, now linked'), ...problems(400, 401, 403, 409) },
    }),
    async (c) => {
      sandboxOnly();
      const { handle, xUserId } = c.req.valid('json');
      const accountId = c.get('accountId');
      const now = deps.clock();
      const { me, claimed } = await deps.db.transaction(async (tx) => {
        const { claimed } = await linkXAccount(
          tx,
          deps,
          accountId,
          { id: xUserId, handle, verifiedByX: false },
          now,
        );
        return { me: await toMe(tx, await getAccount(tx, accountId)), claimed };
      });
      deps.log.info('x account linked', { accountId, claimed });
      return c.json(me, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/top-ups',
      tags: ['accounts'],
      security: bearer,
      description:
        'Adds money. With Stripe configured: creates a Stripe Checkout Session for the amount (EUR, within ' +
        '`topUps.minCents`–`maxCents` of `/v1/config`) and answers 202 with its URL; the wallet is credited when ' +
        'Stripe’s signed `checkout.session.completed` event arrives. Without Stripe, in the sandbox only: credited ' +
        'at once from the settlement account (201). Otherwise 403: not available on this wallet. The same ' +
        'Idempotency-Key always gives the same top-up.',
      request: { headers: IdempotencyHeaderSchema, body: jsonBody(TopUpSchema) },
      responses: {
        201: json(MeSchema, 'Sandbox: the account after the top-up'),
        202: json(TopUpCheckoutSchema, 'The pending top-up and the Checkout page to pay it'),
        ...problems(400, 401, 403, 409, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const accountId = c.get('accountId');
      const key = c.req.valid('header')['idempotency-key'];
      const cfg = topUpConfig(deps);
      if (cfg.method === 'none') {
        throw new ApiError('forbidden', 'Adding money is not available on this wallet.');
      }
      if (cfg.method === 'instant') {
        const res = await idempotent(
          deps,
          { accountId, key, method: 'POST', path: c.req.path, body },
          async (tx) => {
            await post(
              tx,
              [{ from: SYSTEM.settlement, to: accountId, amountCents: body.amountCents, kind: 'top_up' }],
              null,
              deps.clock(),
            );
            return { status: 201, body: await toMe(tx, await getAccount(tx, accountId)) };
          },
        );
        return reply(c, res);
      }
      const stripe = deps.stripe!;
      if (body.amountCents < cfg.minCents || body.amountCents > cfg.maxCents) {
        throw new ApiError(
          'invalid_request',
          `amountCents: between ${cfg.minCents} and ${cfg.maxCents} cents per top-up.`,
        );
      }
      const { row } = await claimTopUp(deps.db, accountId, key, body.amountCents, deps.clock());
      if (Number(row.amount_cents) !== body.amountCents) {
        throw new ApiError(
          'idempotency_key_reused',
          'This Idempotency-Key was already used with a different request; use a new key.',
        );
      }
      if (row.checkout_url && row.checkout_session_id) {
        return c.json({ topUp: toTopUp(row), checkoutUrl: row.checkout_url }, 202, {
          'idempotent-replayed': 'true',
        });
      }
      const account = await getAccount(deps.db, accountId);
      let session;
      try {
        session = await createCheckoutSession(stripe, {
          id: row.id,
          accountId,
          amountCents: body.amountCents,
          email: account.email,
        });
      } catch (err) {
        deps.log.error('stripe checkout session failed', { topUpId: row.id, err: String(err) });
        throw new ApiError('internal', 'The card payment page could not be prepared; try again.');
      }
      if (!session.url) throw new ApiError('internal', 'Stripe gave no payment page; try again.');
      const saved = await attachSession(deps.db, row.id, session.id, session.url, deps.clock());
      deps.log.info('top-up checkout created', { accountId, topUpId: row.id, amountCents: body.amountCents });
      return c.json({ topUp: toTopUp(saved), checkoutUrl: session.url }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/top-ups',
      tags: ['accounts'],
      security: bearer,
      description:
        'The caller’s 20 latest card top-ups, newest first (pending, credited, failed, expired, refunded).',
      responses: { 200: json(TopUpListSchema, 'The top-ups'), ...problems(401) },
    }),
    async (c) => c.json({ items: await listTopUps(deps.db, c.get('accountId'), 20) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/recipients/{handle}',
      tags: ['payments'],
      security: bearer,
      description: 'What paying this X handle means: wallet or not, kind, limit per payment, business fee.',
      request: { params: HandleParamSchema },
      responses: { 200: json(RecipientSchema, 'The recipient'), ...problems(400, 401, 422) },
    }),
    async (c) => {
      const { handle } = c.req.valid('param');
      if (handle.toLowerCase() === deps.config.botHandle.toLowerCase()) {
        throw new ApiError(
          'recipient_invalid',
          `@${deps.config.botHandle} is the wallet's bot; it cannot be paid.`,
        );
      }
      const a = await findByHandle(deps.db, handle);
      const facts = a
        ? { registered: true, kind: a.kind, feeBps: a.fee_bps }
        : { registered: false, kind: 'person' as const };
      const out: Recipient = {
        handle: a?.x_handle ?? handle,
        registered: !!a,
        ...(a ? { displayName: a.display_name } : {}),
        kind: facts.kind,
        limitCents: limitCents(facts, deps.config ?? DEFAULT_CONFIG),
        feeBps: feeBpsFor(facts),
      };
      return c.json(out, 200);
    },
  );
}
