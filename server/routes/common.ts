import type { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../deps';
import type { StoredResponse } from '../idempotency';
import { ProblemSchema } from '../schemas';

export type App = OpenAPIHono<AppEnv>;

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (problem+json)',
  401: 'Not signed in, or the token is invalid, expired or revoked',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict, or a request with this Idempotency-Key is still in flight',
  413: 'Body over 64 KiB',
  422: 'A payment rule refused it (limit, funds, self payment, recipient) or the Idempotency-Key was reused',
  429: 'Too many attempts; see Retry-After',
};

/** Problem responses for the OpenAPI document. */
export function problems<S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: DESCRIPTIONS[s] ?? 'Error',
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  ) as Record<
    S,
    { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }
  >;
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const bearer = [{ bearer: [] as string[] }];

/**
 * Sends a stored (possibly replayed) response. Its status is only known at run time, so it cannot be
 * typed against one route's declared responses; the bodies were produced by the same typed handlers.
 */
export function reply(c: Context<AppEnv>, res: StoredResponse): never {
  const isProblem = res.status >= 400;
  const headers: Record<string, string> = {
    'content-type': isProblem ? 'application/problem+json' : 'application/json',
  };
  if (res.replayed) headers['idempotent-replayed'] = 'true';
  return c.body(JSON.stringify(res.body), res.status as 200, headers) as never;
}
