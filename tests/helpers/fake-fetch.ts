/**
 * Test helper: a fake `fetch` at the HTTP boundary. Routes `METHOD /path` to handlers and records every call
 * (headers included) so tests can assert what the client actually sent. Not used by production code.
 */
export interface RecordedCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** Values of the route's `:name` segments. */
  params: Record<string, string>;
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

/** Matches `METHOD /path/:param` route keys against a call. */
function matchRoute(key: string, method: string, pathname: string): Record<string, string> | null {
  const [m, pattern] = key.split(' ');
  if (m !== method || !pattern) return null;
  const want = pattern.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}

/** Routes are keyed `METHOD /path`, where a `:name` segment matches any one segment. */
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
      params: {},
    };
    calls.push(call);
    for (const [key, route] of Object.entries(routes)) {
      const params = matchRoute(key, call.method, url.pathname);
      if (params) return route({ ...call, params });
    }
    return problem(404, 'not_found');
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}
