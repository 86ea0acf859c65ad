/** Health, config, sign-up and sessions (login, refresh, logout). */
import { createRoute } from '@hono/zod-openapi';
import { createAccount, getAccount, toMe } from '../accounts';
import {
  dummyPasswordHash,
  hashPassword,
  LoginLimiter,
  refreshSession,
  revokeFamily,
  startSession,
  tokenSecret,
  verifyPassword,
} from '../auth';
import { ACCOUNT_RULES } from '../../core/rules';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import {
  ConfigSchema,
  HealthSchema,
  LoginSchema,
  MeSchema,
  RefreshSchema,
  SignUpSchema,
  TokenPairSchema,
} from '../schemas';
import { topUpConfig } from './account';
import { bearer, json, jsonBody, problems, type App } from './common';

export function registerAuthRoutes(app: App, deps: Deps, limiter: LoginLimiter) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/health',
      tags: ['meta'],
      responses: { 200: json(HealthSchema, 'The server and its database answer') },
    }),
    async (c) => {
      await deps.db.query('SELECT 1');
      return c.json({ status: 'ok' as const, db: deps.db.kind }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/config',
      tags: ['meta'],
      responses: { 200: json(ConfigSchema, 'Bot, hashtag, limits, fees and delays the wallet applies') },
    }),
    (c) => c.json({ ...deps.config, accounts: { ...ACCOUNT_RULES }, topUps: topUpConfig(deps) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts',
      tags: ['accounts'],
      summary: 'Sign up',
      description:
        'Opens a wallet (then sign in with `/v1/auth/login`). Attempts count against the same per-email limit as ' +
        'failed sign-ins (429 with Retry-After beyond it).',
      request: { body: jsonBody(SignUpSchema) },
      responses: { 201: json(MeSchema, 'The new account'), ...problems(400, 409, 413, 429) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const email = body.email.trim().toLowerCase();
      const now = deps.clock().getTime();
      const wait = limiter.retryAfter(email, now);
      if (wait > 0) {
        throw new ApiError('rate_limited', `Too many attempts for this email; retry in ${wait} s.`, {
          'retry-after': String(wait),
        });
      }
      // Every attempt counts (a taken address too): opening wallets shares the sign-in budget of the address.
      limiter.fail(email, now);
      const passwordHash = await hashPassword(body.password, deps.scryptN);
      const me = await deps.db.transaction(async (tx) => {
        const a = await createAccount(
          tx,
          { email: body.email, passwordHash, displayName: body.displayName, kind: body.kind ?? 'person' },
          deps.clock(),
        );
        return toMe(tx, a);
      });
      deps.log.info('account created', { accountId: me.id, kind: me.kind });
      return c.json(me, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/login',
      tags: ['sessions'],
      request: { body: jsonBody(LoginSchema) },
      responses: { 200: json(TokenPairSchema, 'A new session'), ...problems(400, 401, 429) },
    }),
    async (c) => {
      const { password } = c.req.valid('json');
      const email = c.req.valid('json').email.trim().toLowerCase();
      const now = deps.clock().getTime();
      const wait = limiter.retryAfter(email, now);
      if (wait > 0) {
        throw new ApiError('rate_limited', `Too many failed sign-ins for this email; retry in ${wait} s.`, {
          'retry-after': String(wait),
        });
      }
      const [row] = await deps.db.query<{ id: string; password_hash: string }>(
        `SELECT id, password_hash FROM accounts WHERE email = $1 AND kind <> 'system'`,
        [email],
      );
      // Unknown emails cost a hash too, so timing does not tell which emails have an account.
      const ok = await verifyPassword(
        password,
        row?.password_hash ?? (await dummyPasswordHash(deps.scryptN)),
      );
      if (!row || !ok) {
        limiter.fail(email, now);
        throw new ApiError('unauthorized', 'Wrong email or password.');
      }
      limiter.succeed(email);
      const pair = await deps.db.transaction((tx) => startSession(tx, row.id, deps.clock()));
      return c.json(pair, 200);
    },
  );

  let secret: Promise<string> | undefined;
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/refresh',
      tags: ['sessions'],
      description:
        'Rotates the refresh token. Reusing a spent one revokes its whole family, except an immediate retry ' +
        '(within 10 s) that gets the same new pair.',
      request: { body: jsonBody(RefreshSchema) },
      responses: { 200: json(TokenPairSchema, 'The next pair'), ...problems(400, 401) },
    }),
    async (c) => {
      secret ??= tokenSecret(deps.db).catch((err: unknown) => {
        secret = undefined;
        throw err;
      });
      const pair = await refreshSession(deps, await secret, c.req.valid('json').refreshToken);
      return c.json(pair, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/logout',
      tags: ['sessions'],
      security: bearer,
      responses: {
        204: { description: 'The session (its whole token family) is revoked' },
        ...problems(401),
      },
    }),
    async (c) => {
      await revokeFamily(deps, c.get('familyId'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me',
      tags: ['accounts'],
      security: bearer,
      responses: { 200: json(MeSchema, 'The signed-in account and its balance'), ...problems(401) },
    }),
    async (c) => c.json(await toMe(deps.db, await getAccount(deps.db, c.get('accountId'))), 200),
  );
}
