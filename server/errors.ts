import type { ErrorCode, Problem } from '../core/wallet-types';

const TITLES: Record<ErrorCode, string> = {
  invalid_request: 'Invalid request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  limit_exceeded: 'Limit exceeded',
  insufficient_funds: 'Insufficient funds',
  self_payment: 'Self payment',
  recipient_invalid: 'Invalid recipient',
  idempotency_key_reused: 'Idempotency key reused',
  idempotency_in_flight: 'Request in flight',
  conflict: 'Conflict',
  rate_limited: 'Too many requests',
  payload_too_large: 'Payload too large',
  internal: 'Internal error',
};

/** HTTP status of each error code (a code always maps to the same status). */
export const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  limit_exceeded: 422,
  insufficient_funds: 422,
  self_payment: 422,
  recipient_invalid: 422,
  idempotency_key_reused: 422,
  idempotency_in_flight: 409,
  conflict: 409,
  rate_limited: 429,
  payload_too_large: 413,
  internal: 500,
};

/** An expected failure: becomes an RFC 9457 problem response. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.status = STATUS[code];
  }
}

export function problem(code: ErrorCode, detail: string): Problem {
  return {
    type: `https://tweetez-payez.example/problems/${code}`,
    title: TITLES[code],
    status: STATUS[code],
    detail,
    code,
  };
}

export function problemResponse(
  code: ErrorCode,
  detail: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(problem(code, detail)), {
    status: STATUS[code],
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}
