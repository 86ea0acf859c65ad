/**
 * The wallet HTTP API (docs/wallet-api.md) as a Hono app: `createApp(deps)` has no I/O of its own, so
 * tests call `app.request()` and `start.ts` serves it over HTTP.
 *
 * Cross-cutting: request ids (`x-request-id`), one JSON log line per request (method, route pattern,
 * status, duration; never bodies, tokens or query strings), a 64 KiB body limit, RFC 9457 problem+json
 * for every error (a 5xx never carries internals), and the OpenAPI 3.1 document at /v1/openapi.json
 * generated from the same zod schemas that validate requests.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import type { ErrorCode } from '../core/wallet-types';
import { authenticate, LoginLimiter } from './auth';
import type { AppEnv, Deps } from './deps';
import { ApiError, problemResponse } from './errors';
import { errorFields } from './log';
import { registerAccountRoutes } from './routes/account';
import { registerAuthRoutes } from './routes/auth';
import { registerPaymentRoutes } from './routes/payments';
import { registerStripeRoutes } from './routes/stripe';
import { registerWebhookRoutes } from './routes/webhook';
import { registerClaimPage, registerXLinkRoutes } from './routes/x-link';

export const MAX_BODY_BYTES = 64 * 1024;

/** Validation failures of zod-openapi become 400 problems naming the fields. */
function validationHook(
  result:
    { success: true } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } },
) {
  if (result.success) return;
  const detail = result.error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
  return problemResponse('invalid_request', detail || 'The request is invalid.');
}

const requireAuth =
  (deps: Deps): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const who = await authenticate(deps, c.req.header('authorization'));
    c.set('accountId', who.accountId);
    c.set('familyId', who.familyId);
    await next();
  };

export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const limiter = new LoginLimiter();

  app.use(
    '*',
    requestId({
      generator: () => crypto.randomUUID(),
      limitLength: 64,
    }),
  );
  app.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    deps.log.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      // The route pattern, not the raw path: a path can carry anything a client put there (even a token).
      path: routePath(c, -1),
      status: c.res.status,
      ms: Math.round((performance.now() - t0) * 10) / 10,
      ...(c.get('accountId') ? { accountId: c.get('accountId') } : {}),
    });
  });
  const tooLarge = () => problemResponse('payload_too_large', `The body is over ${MAX_BODY_BYTES} bytes.`);
  const limitBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  app.use('*', (c, next) => {
    // With a Content-Length (and no Transfer-Encoding) Hono's bodyLimit only compares that header, as here; it
    // reads `c.req.raw.body` first though, which makes the Node adapter build a whole web Request with a body
    // stream for every request (about a tenth of the server's CPU per payment), where the handler's JSON
    // would otherwise be read straight from the socket. Node's parser reads exactly Content-Length bytes.
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined)
      return Number.parseInt(length, 10) > MAX_BODY_BYTES ? Promise.resolve(tooLarge()) : next();
    return limitBody(c, next);
  });

  const auth = requireAuth(deps);
  // In Hono '/x/*' also matches '/x' itself: one entry per subtree, so auth runs once per request.
  for (const path of ['/v1/me/*', '/v1/recipients/*', '/v1/payments/*', '/v1/auth/logout']) {
    app.use(path, auth);
  }
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  registerAuthRoutes(app, deps, limiter);
  registerAccountRoutes(app, deps);
  registerPaymentRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerStripeRoutes(app, deps);
  registerXLinkRoutes(app, deps);
  registerClaimPage(app, deps);

  app.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Tweetez Payez wallet API',
      version: '1.0.0',
      description: 'Pay anyone on X by tweet or privately. Money is integer cents (EUR).',
    },
  });

  app.notFound((c) => problemResponse('not_found', `No route for ${c.req.method} ${c.req.path}.`));
  app.onError((err, c) => toProblem(err, c, deps));
  return app;
}

export type WalletApp = ReturnType<typeof createApp>;

function toProblem(err: Error, c: Context<AppEnv>, deps: Deps): Response {
  if (err instanceof ApiError) return problemResponse(err.code, err.detail, err.headers);
  if (err instanceof HTTPException && err.status < 500) {
    const code: ErrorCode =
      err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : 'invalid_request';
    return problemResponse(code, err.message || 'The request is invalid.');
  }
  deps.log.error('unhandled error', {
    requestId: c.get('requestId'),
    path: routePath(c, -1),
    ...errorFields(err),
  });
  return problemResponse('internal', `Something went wrong on our side (request ${c.get('requestId')}).`);
}
