import { describe, expect, it } from 'vitest';
import { createFakeFetch, json, problem } from '../../../tests/helpers/fake-fetch';
import { codeFor, sendWithRetry, type HttpOptions } from './http';

const noSleep = async () => undefined;
function opts(fetch: typeof globalThis.fetch, over: Partial<HttpOptions> = {}): HttpOptions {
  return { fetch, sleep: noSleep, timeoutMs: 1_000, backoffMs: [10, 20], ...over };
}

describe('sendWithRetry', () => {
  it('should retry network errors and 5xx with the same Idempotency-Key, then succeed', async () => {
    let n = 0;
    const { fetch, calls } = createFakeFetch({
      'POST /v1/payments': () => {
        n++;
        if (n === 1) throw new TypeError('Failed to fetch');
        if (n === 2) return problem(503, 'internal');
        return json(201, { id: 'p1' });
      },
    });
    const res = await sendWithRetry(
      { method: 'POST', url: 'http://w/v1/payments', headers: { 'idempotency-key': 'k-1' }, body: { a: 1 } },
      opts(fetch),
    );
    expect(res).toEqual({ ok: true, value: { id: 'p1' }, status: 201 });
    expect(calls.map((c) => c.headers['idempotency-key'])).toEqual(['k-1', 'k-1', 'k-1']);
    expect(calls.every((c) => JSON.stringify(c.body) === '{"a":1}')).toBe(true);
  });

  it('should give up after the last retry with network or the server code', async () => {
    const down = createFakeFetch({
      'GET /v1/me': () => {
        throw new TypeError('offline');
      },
    });
    expect(await sendWithRetry({ method: 'GET', url: 'http://w/v1/me' }, opts(down.fetch))).toEqual({
      ok: false,
      code: 'network',
      status: null,
    });
    expect(down.calls).toHaveLength(3);
    const broken = createFakeFetch({ 'GET /v1/me': () => problem(500, 'internal', 'secret stack') });
    const res = await sendWithRetry({ method: 'GET', url: 'http://w/v1/me' }, opts(broken.fetch));
    expect(res).toEqual({ ok: false, code: 'internal', status: 500 });
  });

  it('should retry idempotency_in_flight but never other 4xx', async () => {
    let n = 0;
    const inFlight = createFakeFetch({
      'POST /v1/payments': () => (++n === 1 ? problem(409, 'idempotency_in_flight') : json(201, { id: 'p' })),
    });
    expect(
      await sendWithRetry({ method: 'POST', url: 'http://w/v1/payments' }, opts(inFlight.fetch)),
    ).toMatchObject({
      ok: true,
    });
    const limit = createFakeFetch({
      'POST /v1/payments': () => problem(422, 'limit_exceeded', 'over 250 EUR'),
    });
    expect(await sendWithRetry({ method: 'POST', url: 'http://w/v1/payments' }, opts(limit.fetch))).toEqual({
      ok: false,
      code: 'limit_exceeded',
      status: 422,
      message: 'over 250 EUR',
    });
    expect(limit.calls).toHaveLength(1);
  });

  it('should time out a hanging request and report network', async () => {
    let aborted = 0;
    const hanging = (async (_url: unknown, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => {
          aborted++;
          reject(new DOMException('timeout', 'TimeoutError'));
        });
      })) as typeof fetch;
    const res = await sendWithRetry(
      { method: 'GET', url: 'http://w/v1/me' },
      opts(hanging, { timeoutMs: 20, backoffMs: [1] }),
    );
    expect(res).toEqual({ ok: false, code: 'network', status: null });
    expect(aborted).toBe(2);
  });
});

describe('codeFor', () => {
  it('should use the problem code when known, else derive it from the status', () => {
    expect(codeFor(422, { code: 'insufficient_funds' })).toBe('insufficient_funds');
    expect(codeFor(422, { code: 'made_up' })).toBe('invalid_request');
    expect(codeFor(401, null)).toBe('unauthorized');
    expect(codeFor(429, 'x')).toBe('rate_limited');
    expect(codeFor(502, null)).toBe('internal');
  });
});
