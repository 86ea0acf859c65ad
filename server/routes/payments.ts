/** Payments: create (idempotent), read, list, confirm (idempotent), cancel. */
import { createRoute } from '@hono/zod-openapi';
import type { PaymentStatus } from '../../core/wallet-types';
import { getPayerAndRecipient } from '../accounts';
import type { Deps } from '../deps';
import { idempotent } from '../idempotency';
import { createPaymentOnce } from '../payments/create';
import { planPayment } from '../payments/plan';
import { rowToPayment } from '../payments/response';
import { listPayments, toPayment, visiblePayment } from '../payments/store';
import { cancelPayment, confirmPayment } from '../payments/transitions';
import {
  CreatePaymentSchema,
  IdempotencyHeaderSchema,
  IdParamSchema,
  PaymentListQuerySchema,
  PaymentListSchema,
  PaymentSchema,
} from '../schemas';
import { bearer, json, jsonBody, problems, reply, type App } from './common';

export function registerPaymentRoutes(app: App, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/payments',
      tags: ['payments'],
      security: bearer,
      description:
        'Mode `tweet`: funds held, `awaiting_tweet` with the canonical `tweetText` to post. Mode `private`: ' +
        'executed at once (`completed`, or `claimable` when the recipient has no wallet).',
      request: { headers: IdempotencyHeaderSchema, body: jsonBody(CreatePaymentSchema) },
      responses: { 201: json(PaymentSchema, 'The payment'), ...problems(400, 401, 409, 413, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const accountId = c.get('accountId');
      const res = await createPaymentOnce(
        deps,
        { accountId, key: c.req.valid('header')['idempotency-key'], method: 'POST', path: c.req.path, body },
        async () => {
          const { payer, recipient } = deps.batcher
            ? await deps.batcher.parties(accountId, body.recipientHandle)
            : await getPayerAndRecipient(deps.db, accountId, body.recipientHandle);
          return planPayment(deps.config, payer, recipient, body, deps.clock());
        },
      );
      return reply(c, res);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/payments',
      tags: ['payments'],
      security: bearer,
      description: 'The caller’s payments, as payer or payee, newest first.',
      request: { query: PaymentListQuerySchema },
      responses: { 200: json(PaymentListSchema, 'A page of payments'), ...problems(400, 401) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const accountId = c.get('accountId');
      const limit = q.limit ?? 20;
      const statuses = q.status ? (q.status.split(',') as PaymentStatus[]) : null;
      const rows = await listPayments(deps.db, accountId, { statuses, before: q.cursor ?? null, limit });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return c.json(
        {
          items: page.map((r) => rowToPayment(r, accountId)),
          nextCursor: rows.length > limit && last ? String(last.seq) : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/payments/{id}',
      tags: ['payments'],
      security: bearer,
      request: { params: IdParamSchema },
      responses: { 200: json(PaymentSchema, 'The payment'), ...problems(401, 404) },
    }),
    async (c) => {
      const accountId = c.get('accountId');
      const { id } = c.req.valid('param');
      await visiblePayment(deps.db, accountId, id);
      return c.json(await toPayment(deps.db, accountId, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/payments/{id}/confirm',
      tags: ['payments'],
      security: bearer,
      description: 'The payer confirms an `awaiting_confirmation` payment (a hand-typed tweet).',
      request: { params: IdParamSchema, headers: IdempotencyHeaderSchema },
      responses: {
        200: json(PaymentSchema, 'The payment, executed'),
        ...problems(400, 401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const accountId = c.get('accountId');
      const { id } = c.req.valid('param');
      const res = await idempotent(
        deps,
        {
          accountId,
          key: c.req.valid('header')['idempotency-key'],
          method: 'POST',
          path: c.req.path,
          body: {},
        },
        async (tx) => {
          await confirmPayment(tx, deps.config, accountId, id, deps.clock());
          return { status: 200, body: await toPayment(tx, accountId, id) };
        },
      );
      return reply(c, res);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/payments/{id}/cancel',
      tags: ['payments'],
      security: bearer,
      description: 'The payer cancels a payment not yet completed; held or escrowed funds return.',
      request: { params: IdParamSchema },
      responses: { 200: json(PaymentSchema, 'The payment, canceled'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const accountId = c.get('accountId');
      const { id } = c.req.valid('param');
      const payment = await deps.db.transaction(async (tx) => {
        await cancelPayment(tx, accountId, id, deps.clock());
        return toPayment(tx, accountId, id);
      });
      return c.json(payment, 200);
    },
  );
}
