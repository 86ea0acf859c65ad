/**
 * Test helper: a fake `fetch` at the HTTP boundary. Routes `METHOD /path` to handlers and records every call
 * (headers included) so tests can assert what the client actually sent. Not used by production code.
 */
export interface RecordedCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export type FakeRoute = (call: RecordedCall) => Response | Promise<Response>;

export function json(status: number, body: unknown): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

export function problem(status: number, code: string, detail = code): Response {
  return json(status, { type: 'about:blank', title: code, status, detail, code });
}

export function createFakeFetch(routes: Record<string, FakeRoute>) {
  const calls: RecordedCall[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    const call: RecordedCall = {
      method: init.method ?? 'GET',
      path: url.pathname + url.search,
      headers,
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    };
    calls.push(call);
    const route = routes[`${call.method} ${url.pathname}`];
    if (!route) return problem(404, 'not_found');
    return route(call);
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}
