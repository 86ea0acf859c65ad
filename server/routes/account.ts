/** The signed-in account: X account link (sandbox), card top-ups (sandbox), recipient lookup. */
import { createRoute } from '@hono/zod-openapi';
import { DEFAULT_CONFIG, feeBpsFor, limitCents } from '../../core/rules';
import type { Recipient } from '../../core/wallet-types';
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
  TopUpSchema,
} from '../schemas';
import { bearer, json, jsonBody, problems, reply, type App } from './common';

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
      description: 'Sandbox only: a card top-up, credited from the settlement account.',
      request: { headers: IdempotencyHeaderSchema, body: jsonBody(TopUpSchema) },
      responses: {
        201: json(MeSchema, 'The account after the top-up'),
        ...problems(400, 401, 403, 409, 422),
      },
    }),
    async (c) => {
      sandboxOnly();
      const body = c.req.valid('json');
      const accountId = c.get('accountId');
      const res = await idempotent(
        deps,
        { accountId, key: c.req.valid('header')['idempotency-key'], method: 'POST', path: c.req.path, body },
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
    },
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
