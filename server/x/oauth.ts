/**
 * "Sign in with X": the wallet is a confidential OAuth 2.0 client of X (Authorization Code with PKCE,
 * S256), through `oauth4webapi`. https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code
 * (authorize at x.com/i/oauth2/authorize, token at api.x.com/2/oauth2/token with HTTP Basic client
 * authentication for confidential clients) and https://docs.x.com/x-api/users/user-lookup-me
 * (`GET /2/users/me` → `{"data": {"id", "name", "username"}}`).
 *
 * `startLink` stores a single-use `state` (only its SHA-256), bound to the signed-in account, with its PKCE
 * verifier and a 10-minute expiry. `finishLink` consumes the state first (a replay finds it used), then
 * exchanges the code, reads who the user is, and links in one transaction: anything that fails before
 * that transaction leaves the account as it was.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import { errorFields } from '../log';
import { LINK_SCOPES, type XConfig } from './config';
import { linkXAccount } from './link';

export const LINK_STATE_MINUTES = 10;

export type LinkFailure =
  | 'not_configured'
  | 'state_invalid'
  | 'denied'
  | 'code_rejected'
  | 'x_timeout'
  | 'x_unavailable'
  | 'conflict'
  | 'bot_account';

export type LinkResult =
  { ok: true; handle: string; claimed: number } | { ok: false; reason: LinkFailure; handle?: string };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const callbackUrl = (x: XConfig) => `${x.publicUrl}/v1/x/callback`;

function client(x: XConfig) {
  if (!x.clientId || !x.clientSecret) return undefined;
  const as: oauth.AuthorizationServer = {
    issuer: x.apiUrl,
    authorization_endpoint: x.authorizeUrl,
    token_endpoint: `${x.apiUrl}/2/oauth2/token`,
  };
  const options = {
    signal: () => AbortSignal.timeout(x.timeoutMs),
    // The local stand-in for X speaks plain http; X itself is https.
    ...(x.apiUrl.startsWith('http://') ? { [oauth.allowInsecureRequests]: true } : {}),
  };
  return { as, client: { client_id: x.clientId }, auth: oauth.ClientSecretBasic(x.clientSecret), options };
}

/** A new link for `accountId`: the X address to send the user to. */
export async function startLink(deps: Deps, accountId: string): Promise<string> {
  const x = deps.x;
  const c = x && client(x);
  if (!x || !c) {
    throw new ApiError(
      'forbidden',
      'Sign in with X is not configured on this wallet (X_CLIENT_ID and X_CLIENT_SECRET).',
    );
  }
  const state = randomBytes(32).toString('base64url');
  const verifier = oauth.generateRandomCodeVerifier();
  const now = deps.clock();
  await deps.db.query(
    `INSERT INTO x_link_states (state_hash, account_id, code_verifier, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [sha256(state), accountId, verifier, now, new Date(now.getTime() + LINK_STATE_MINUTES * 60_000)],
  );
  const url = new URL(x.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', c.client.client_id);
  url.searchParams.set('redirect_uri', callbackUrl(x));
  url.searchParams.set('scope', LINK_SCOPES);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

const MeSchema = z.object({
  data: z.object({
    id: z.string().regex(/^[0-9]{1,20}$/),
    username: z.string().regex(/^[A-Za-z0-9_]{1,15}$/),
  }),
});

const isTimeout = (err: unknown) =>
  err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');

/** The callback: `params` as X sent them (`state` + `code`, or `state` + `error`). */
export async function finishLink(deps: Deps, params: URLSearchParams): Promise<LinkResult> {
  const x = deps.x;
  const c = x && client(x);
  if (!x || !c) return { ok: false, reason: 'not_configured' };
  const state = params.get('state') ?? '';
  const now = deps.clock();
  // Single use: the state is spent by the first callback that presents it, whatever happens next.
  const [pending] = state
    ? await deps.db.query<{ account_id: string; code_verifier: string }>(
        `UPDATE x_link_states SET used_at = $2 WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING account_id, code_verifier`,
        [sha256(state), now],
      )
    : [];
  if (!pending) return { ok: false, reason: 'state_invalid' };
  const log = (msg: string, fields: Record<string, unknown> = {}) =>
    deps.log.info(msg, { accountId: pending.account_id, ...fields });

  let accessToken: string;
  try {
    const callback = oauth.validateAuthResponse(c.as, c.client, params, state);
    const res = await oauth.authorizationCodeGrantRequest(
      c.as,
      c.client,
      c.auth,
      callback,
      callbackUrl(x),
      pending.code_verifier,
      c.options,
    );
    accessToken = (await oauth.processAuthorizationCodeResponse(c.as, c.client, res)).access_token;
  } catch (err) {
    if (err instanceof oauth.AuthorizationResponseError) {
      log('x link refused at X', { error: err.error });
      return { ok: false, reason: 'denied' };
    }
    if (err instanceof oauth.ResponseBodyError) {
      log('x link code rejected', { error: err.error, status: err.status });
      return { ok: false, reason: err.status >= 500 ? 'x_unavailable' : 'code_rejected' };
    }
    if (isTimeout(err)) return { ok: false, reason: 'x_timeout' };
    log('x link token exchange failed', errorFields(err));
    return { ok: false, reason: 'x_unavailable' };
  }

  let me: z.infer<typeof MeSchema>['data'];
  try {
    const res = await fetch(`${x.apiUrl}/2/users/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(x.timeoutMs),
    });
    const parsed = MeSchema.safeParse(res.ok ? await res.json() : undefined);
    if (!parsed.success) {
      log('x link: users/me unusable', { status: res.status });
      return { ok: false, reason: 'x_unavailable' };
    }
    me = parsed.data.data;
  } catch (err) {
    if (isTimeout(err)) return { ok: false, reason: 'x_timeout' };
    log('x link: users/me failed', errorFields(err));
    return { ok: false, reason: 'x_unavailable' };
  }

  try {
    const { claimed } = await deps.db.transaction((tx) =>
      linkXAccount(tx, deps, pending.account_id, { id: me.id, handle: me.username, verifiedByX: true }, now),
    );
    log('x account linked (sign in with X)', { claimed });
    return { ok: true, handle: me.username, claimed };
  } catch (err) {
    if (err instanceof ApiError && err.code === 'conflict') {
      return { ok: false, reason: 'conflict', handle: me.username };
    }
    if (err instanceof ApiError && err.code === 'forbidden') {
      return { ok: false, reason: 'bot_account', handle: me.username };
    }
    throw err;
  }
}
