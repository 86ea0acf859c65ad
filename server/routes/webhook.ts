/**
 * The X webhook (Account Activity, X Activity API and Filtered Stream deliveries). CRC: a pure HMAC of the token. Events: the signature is checked over the
 * raw bytes before anything parses them (fail closed: 401), the raw event is stored, then processed;
 * 200 means stored (a processing failure is logged and retried by the sweeper, never lost).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import { errorFields } from '../log';
import { CrcQuerySchema, CrcResponseSchema } from '../schemas';
import { processEvent, storeEvent } from '../x/events';
import { verifyXSignature, xSignature } from '../x/signature';
import { json, problems, type App } from './common';

export function registerWebhookRoutes(app: App, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/webhooks/x',
      tags: ['x'],
      description: 'Challenge-response check (CRC) of the X Account Activity API.',
      request: { query: CrcQuerySchema },
      responses: { 200: json(CrcResponseSchema, 'The CRC answer'), ...problems(400, 401) },
    }),
    (c) => {
      if (!deps.xConsumerSecret) throw new ApiError('unauthorized', 'The X webhook is not configured.');
      return c.json(
        { response_token: xSignature(deps.xConsumerSecret, c.req.valid('query').crc_token) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/webhooks/x',
      tags: ['x'],
      description:
        'X webhook deliveries, signed with `x-twitter-webhooks-signature: sha256=<base64 ' +
        'HMAC-SHA256(consumer secret, raw body)>`: Account Activity API events (`tweet_create_events`, ' +
        '`tweet_delete_events`), X Activity API events (`{"data": {"event_uuid", "event_type", "payload", …}}`, ' +
        'de-duplicated by `event_uuid`) and Filtered Stream deliveries (`{"data": Post, "includes", ' +
        '"matching_rules"}`). 200 means stored; processing follows.',
      // No request schema on purpose: nothing may parse the body before its signature is verified.
      responses: {
        200: json(z.object({ received: z.literal(true) }), 'The event is stored'),
        ...problems(401, 413),
      },
    }),
    async (c) => {
      const raw = new Uint8Array(await c.req.arrayBuffer());
      if (!verifyXSignature(deps.xConsumerSecret, c.req.header('x-twitter-webhooks-signature'), raw)) {
        deps.log.info('x webhook signature rejected', { requestId: c.get('requestId') });
        throw new ApiError('unauthorized', 'Bad or missing x-twitter-webhooks-signature.');
      }
      const body = new TextDecoder().decode(raw);
      const eventId = await storeEvent(deps, body);
      if (eventId === undefined) return c.json({ received: true as const }, 200); // a replayed event_uuid
      try {
        await processEvent(deps, eventId, body);
      } catch (err) {
        deps.log.error('x event processing failed; the sweeper will retry', { eventId, ...errorFields(err) });
      }
      return c.json({ received: true as const }, 200);
    },
  );
}
