/**
 * How the wallet reaches X. Defaults are X's real addresses; tests and the demo point them at the local
 * stand-in (tests/fake-x). Without a client id and secret, "Sign in with X" is off; without bot tokens, the
 * bot says nothing.
 */
export interface XConfig {
  /** OAuth 2.0 client of the X app (confidential client: HTTP Basic at the token endpoint). */
  clientId?: string;
  clientSecret?: string;
  /** The wallet's public address: `<publicUrl>/v1/x/callback` is the registered callback, `<publicUrl>/claim` the claim page. */
  publicUrl: string;
  /** X API base (token endpoint `<apiUrl>/2/oauth2/token`, `/2/users/me`, `/2/tweets`, …). */
  apiUrl: string;
  /** Where the user consents. */
  authorizeUrl: string;
  /** Every call to X gives up after this long (the user is told X is slow). */
  timeoutMs: number;
  /** Bot account's OAuth 2.0 user tokens: seed the database once, then rotate there. */
  botAccessToken?: string;
  botRefreshToken?: string;
}

export const X_API_URL = 'https://api.x.com';
export const X_AUTHORIZE_URL = 'https://x.com/i/oauth2/authorize';
/** Scopes of "Sign in with X". The wallet only reads who the user is and keeps no user token. */
export const LINK_SCOPES = 'tweet.read users.read offline.access';

/** The X part of the configuration from the environment (README "Running the wallet server for real"). */
export function xConfigFromEnv(env: NodeJS.ProcessEnv, fallbackPublicUrl: string): XConfig {
  return {
    ...(env.X_CLIENT_ID ? { clientId: env.X_CLIENT_ID } : {}),
    ...(env.X_CLIENT_SECRET ? { clientSecret: env.X_CLIENT_SECRET } : {}),
    publicUrl: (env.PUBLIC_URL || fallbackPublicUrl).replace(/\/+$/, ''),
    apiUrl: (env.X_API_URL || X_API_URL).replace(/\/+$/, ''),
    authorizeUrl: env.X_AUTHORIZE_URL || X_AUTHORIZE_URL,
    timeoutMs: Number(env.X_TIMEOUT_MS) > 0 ? Number(env.X_TIMEOUT_MS) : 10_000,
    ...(env.X_BOT_ACCESS_TOKEN ? { botAccessToken: env.X_BOT_ACCESS_TOKEN } : {}),
    ...(env.X_BOT_REFRESH_TOKEN ? { botRefreshToken: env.X_BOT_REFRESH_TOKEN } : {}),
  };
}
