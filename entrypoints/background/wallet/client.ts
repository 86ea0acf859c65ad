/**
 * The wallet API client (docs/wallet-api.md), background only. Base URL from the settings; every call goes
 * through {@link sendWithRetry} (timeout, retries with the same Idempotency-Key, typed failures). Authenticated
 * calls refresh the access token ahead of expiry, and on a 401 refresh once and retry; a refused refresh means
 * signed out (tokens cleared).
 */
import { isWalletOriginAllowed } from '../../../utils/host-permission';
import { getSettings, tokensItem, type StoredTokens } from '../../../utils/storage';
import { DEFAULT_HTTP, sendWithRetry, type ApiResult, type HttpOptions } from './http';
import { REFRESH_MARGIN_MS, TokenRefresher, tokensFrom } from './session';
import type {
  CreatePaymentBody,
  Me,
  Payment,
  PaymentList,
  PaymentStatus,
  Recipient,
  TokenPair,
  TopUp,
  TopUpCheckout,
  WalletConfig,
} from '../../../core/wallet-types';

export type { ApiResult } from './http';

export interface WalletClientOptions extends Partial<HttpOptions> {
  fetch: typeof fetch;
  now?: () => number;
  /** Defaults to the `walletUrl` setting. */
  baseUrl?: () => Promise<string>;
  /** Whether credentials may go to an origin; defaults to the host permissions the user granted. */
  allowed?: (origin: string) => Promise<boolean>;
}

interface CallOptions {
  body?: unknown;
  idempotencyKey?: string;
}

export class WalletClient {
  private readonly http: HttpOptions;
  private readonly now: () => number;
  private readonly baseUrl: () => Promise<string>;
  private readonly allowed: (origin: string) => Promise<boolean>;
  private readonly refresher: TokenRefresher;

  constructor(options: WalletClientOptions) {
    this.http = { ...DEFAULT_HTTP, ...options };
    this.now = options.now ?? Date.now;
    this.baseUrl = options.baseUrl ?? (async () => (await getSettings()).walletUrl);
    this.allowed = options.allowed ?? isWalletOriginAllowed;
    this.refresher = new TokenRefresher(
      (refreshToken, base) =>
        this.send<TokenPair>(base, 'POST', '/v1/auth/refresh', { body: { refreshToken } }),
      this.now,
    );
  }

  /** One call to `base` + `path`, with the bearer `token` if given. */
  private send<T>(
    base: string,
    method: 'GET' | 'POST',
    path: string,
    opts: CallOptions = {},
    token?: string,
  ) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    return sendWithRetry<T>({ method, url: base + path, headers, body: opts.body }, this.http);
  }

  /** An unauthenticated call to the configured wallet. */
  private async call<T>(method: 'GET' | 'POST', path: string, opts: CallOptions = {}) {
    return this.send<T>(await this.baseUrl(), method, path, opts);
  }

  /**
   * The stored tokens, if they were issued by the configured wallet. Tokens of another wallet server (the URL
   * was changed in the options) are forgotten: they must never be sent to a different server.
   */
  private async session(): Promise<StoredTokens | null> {
    const tokens = await tokensItem.getValue();
    if (!tokens) return null;
    if (tokens.walletUrl !== (await this.baseUrl())) {
      await tokensItem.setValue(null);
      return null;
    }
    return tokens;
  }

  /** An authenticated call: refresh ahead of expiry; on 401 refresh once and retry; then signed out. */
  private async authed<T>(
    method: 'GET' | 'POST',
    path: string,
    opts: CallOptions = {},
  ): Promise<ApiResult<T>> {
    let tokens = await this.session();
    if (!tokens) return { ok: false, code: 'signed_out', status: null };
    if (tokens.accessExpiresAt - this.now() < REFRESH_MARGIN_MS) {
      const refreshed = await this.refresher.refresh(tokens.accessToken);
      if (!refreshed.ok) return { ok: false, code: refreshed.code, status: null };
      tokens = refreshed.tokens;
    }
    const first = await this.send<T>(tokens.walletUrl, method, path, opts, tokens.accessToken);
    if (first.ok || first.status !== 401) return first;
    const refreshed = await this.refresher.refresh(tokens.accessToken);
    if (!refreshed.ok) return { ok: false, code: refreshed.code, status: null };
    const second = await this.send<T>(tokens.walletUrl, method, path, opts, refreshed.tokens.accessToken);
    if (!second.ok && second.status === 401) {
      await tokensItem.setValue(null);
      return { ok: false, code: 'signed_out', status: 401 };
    }
    return second;
  }

  /**
   * The wallet's address when the user granted the browser permission for it, else null: a password is never
   * sent to a server the user did not grant (the stored setting alone may have been forged).
   */
  private async grantedBase(): Promise<string | null> {
    const base = await this.baseUrl();
    return (await this.allowed(new URL(base).origin)) ? base : null;
  }

  /** Signs in and stores the tokens (bound to the wallet URL and to the account id from `/v1/me`). */
  async login(email: string, password: string): Promise<ApiResult<Me>> {
    const base = await this.grantedBase();
    if (!base) return NOT_GRANTED;
    const res = await this.send<TokenPair>(base, 'POST', '/v1/auth/login', { body: { email, password } });
    if (!res.ok) return res;
    await tokensItem.setValue(tokensFrom(res.value, null, this.now(), base));
    const me = await this.me();
    if (!me.ok) {
      await tokensItem.setValue(null);
      return me;
    }
    const tokens = await tokensItem.getValue();
    if (tokens) await tokensItem.setValue({ ...tokens, accountId: me.value.id });
    return me;
  }

  /**
   * Opens a wallet, then signs in. One attempt (no automatic retry: a lost answer would come back as "taken");
   * after a conflict or a lost answer the same e-mail and password are tried as a sign-in, so a wallet whose
   * creation answer was lost (or that the user already had) just signs in. `conflict` means taken by someone
   * else; `network` means nothing could be created.
   */
  async signUp(input: { email: string; password: string; displayName: string }): Promise<ApiResult<Me>> {
    const base = await this.grantedBase();
    if (!base) return NOT_GRANTED;
    const created = await sendWithRetry<Me>(
      {
        method: 'POST',
        url: `${base}/v1/accounts`,
        body: { ...input, kind: 'person' },
      },
      { ...this.http, backoffMs: [] },
    );
    // Taken, or no answer (the wallet may have made it before the answer was lost): the same e-mail and
    // password sign in if the wallet exists; otherwise the first failure stands.
    if (!created.ok && !['conflict', 'network', 'internal'].includes(created.code)) return created;
    const me = await this.login(input.email, input.password);
    if (!me.ok && !created.ok && (me.code === 'unauthorized' || me.code === created.code)) return created;
    return me;
  }

  /** Revokes the session server-side (best effort, one attempt) and forgets the tokens. */
  async logout(): Promise<void> {
    const tokens = await tokensItem.getValue();
    await tokensItem.setValue(null);
    if (!tokens) return;
    await sendWithRetry<null>(
      {
        method: 'POST',
        url: `${tokens.walletUrl}/v1/auth/logout`,
        headers: { authorization: `Bearer ${tokens.accessToken}` },
      },
      { ...this.http, backoffMs: [], timeoutMs: Math.min(this.http.timeoutMs, 5_000) },
    );
  }

  /** True when tokens of the configured wallet are stored (no request). */
  async hasSession(): Promise<boolean> {
    return (await this.session()) !== null;
  }

  /** The signed-in account id, if any (from storage; no request). */
  async accountId(): Promise<string | null> {
    return (await tokensItem.getValue())?.accountId ?? null;
  }

  config(): Promise<ApiResult<WalletConfig>> {
    return this.call<WalletConfig>('GET', '/v1/config');
  }

  me(): Promise<ApiResult<Me>> {
    return this.authed<Me>('GET', '/v1/me');
  }

  /** Starts "Sign in with X": the address of X's consent page (valid once, for 10 minutes). */
  startXLink(): Promise<ApiResult<{ authorizeUrl: string }>> {
    return this.authed<{ authorizeUrl: string }>('POST', '/v1/me/x-link');
  }

  recipient(handle: string): Promise<ApiResult<Recipient>> {
    return this.authed<Recipient>('GET', `/v1/recipients/${encodeURIComponent(handle)}`);
  }

  createPayment(body: CreatePaymentBody, idempotencyKey: string): Promise<ApiResult<Payment>> {
    return this.authed<Payment>('POST', '/v1/payments', { body, idempotencyKey });
  }

  payment(id: string): Promise<ApiResult<Payment>> {
    return this.authed<Payment>('GET', `/v1/payments/${encodeURIComponent(id)}`);
  }

  payments(
    query: { status?: PaymentStatus | PaymentStatus[]; limit?: number } = {},
  ): Promise<ApiResult<PaymentList>> {
    const params = new URLSearchParams();
    if (query.status) params.set('status', [query.status].flat().join(','));
    if (query.limit) params.set('limit', String(query.limit));
    const qs = params.toString();
    return this.authed<PaymentList>('GET', `/v1/payments${qs ? `?${qs}` : ''}`);
  }

  /** Confirms an `awaiting_confirmation` payment; the key is derived from the id, so retries replay. */
  confirmPayment(id: string): Promise<ApiResult<Payment>> {
    return this.authed<Payment>('POST', `/v1/payments/${encodeURIComponent(id)}/confirm`, {
      idempotencyKey: `confirm-${id}`,
    });
  }

  /**
   * Adds money: 202 with a Stripe Checkout page to open (card), or 201 with the account already credited
   * (sandbox). The same key always gives the same top-up.
   */
  async topUp(
    amountCents: number,
    idempotencyKey: string,
  ): Promise<ApiResult<{ kind: 'card'; checkout: TopUpCheckout } | { kind: 'instant'; me: Me }>> {
    const r = await this.authed<TopUpCheckout | Me>('POST', '/v1/me/top-ups', {
      body: { amountCents },
      idempotencyKey,
    });
    if (!r.ok) return r;
    return r.status === 202
      ? { ...r, value: { kind: 'card', checkout: r.value as TopUpCheckout } }
      : { ...r, value: { kind: 'instant', me: r.value as Me } };
  }

  /** The latest card top-ups (an older wallet without them answers 404: none). */
  async topUps(): Promise<ApiResult<TopUp[]>> {
    const r = await this.authed<{ items: TopUp[] }>('GET', '/v1/me/top-ups');
    if (!r.ok) return r.code === 'not_found' ? { ok: true, value: [], status: 404 } : r;
    return { ...r, value: r.value.items };
  }

  cancelPayment(id: string): Promise<ApiResult<Payment>> {
    return this.authed<Payment>('POST', `/v1/payments/${encodeURIComponent(id)}/cancel`, {
      idempotencyKey: `cancel-${id}`,
    });
  }
}

const NOT_GRANTED = {
  ok: false,
  code: 'forbidden',
  status: null,
  message: 'This wallet server is not allowed: choose it again in the options.',
} as const;
