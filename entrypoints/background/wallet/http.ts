/**
 * One HTTP exchange with the wallet server: timeout per attempt, retries with backoff on network errors, 5xx and
 * `idempotency_in_flight`, the SAME headers (hence the same Idempotency-Key) on every attempt, and the answer
 * mapped to a typed result from the problem+json `code`. Background only.
 */
import type { PageErrorCode } from '../../../utils/messaging';
import { ERROR_CODES, type ErrorCode } from '../../../core/wallet-types';

export type ApiResult<T> =
  | { ok: true; value: T; status: number }
  | { ok: false; code: PageErrorCode; status: number | null; message?: string };

export interface HttpOptions {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  /** Per attempt; MV3 kills a fetch whose answer takes more than 30 s. */
  timeoutMs: number;
  /** Waits before each retry; its length is the number of retries. */
  backoffMs: readonly number[];
}

export const DEFAULT_HTTP: Omit<HttpOptions, 'fetch'> = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  timeoutMs: 10_000,
  backoffMs: [300, 1_000],
};

/** The error code of a failed answer: the problem's `code` when known, else one derived from the status. */
export function codeFor(status: number, body: unknown): ErrorCode {
  const code = body && typeof body === 'object' ? (body as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) return code as ErrorCode;
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'internal';
  return 'invalid_request';
}

function isRetryable(status: number, code: ErrorCode): boolean {
  return status >= 500 || code === 'idempotency_in_flight';
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Sends `req`, retrying as described above. Never throws for HTTP or network failures. */
export async function sendWithRetry<T>(req: HttpRequest, opts: HttpOptions): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  let last: ApiResult<T> = { ok: false, code: 'network', status: null };
  for (let attempt = 0; attempt <= opts.backoffMs.length; attempt++) {
    if (attempt > 0) await opts.sleep(opts.backoffMs[attempt - 1] ?? 0);
    let res: Response;
    try {
      res = await opts.fetch(req.url, {
        method: req.method,
        headers,
        body,
        signal: AbortSignal.timeout(opts.timeoutMs),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      last = { ok: false, code: 'network', status: null };
      continue;
    }
    let parsed: unknown;
    try {
      parsed = await readBody(res);
    } catch {
      last = { ok: false, code: 'network', status: null };
      continue;
    }
    if (res.ok) return { ok: true, value: parsed as T, status: res.status };
    const code = codeFor(res.status, parsed);
    const detail = parsed && typeof parsed === 'object' ? (parsed as { detail?: unknown }).detail : undefined;
    last = {
      ok: false,
      code,
      status: res.status,
      ...(typeof detail === 'string' && res.status < 500 && { message: detail.slice(0, 500) }),
    };
    if (!isRetryable(res.status, code)) return last;
  }
  return last;
}
