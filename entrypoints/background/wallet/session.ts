/**
 * The wallet session's tokens (in `storage.session` only): saving a login, refreshing with one refresh in flight
 * at a time, and forgetting them. Tokens never leave the background: not in messages, not in logs.
 */
import { tokensItem, type StoredTokens } from '../../../utils/storage';
import { singleFlight } from '../../../utils/serial';
import type { ApiResult } from './http';
import type { TokenPair } from '../../../core/wallet-types';

/** Refresh ahead of expiry by this much, so a request never starts with a token about to die. */
export const REFRESH_MARGIN_MS = 30_000;

export function tokensFrom(
  pair: TokenPair,
  accountId: string | null,
  now: number,
  walletUrl: string,
): StoredTokens {
  return {
    walletUrl,
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    accessExpiresAt: now + Math.max(0, pair.expiresIn) * 1_000,
    accountId,
  };
}

export type RefreshResult =
  { ok: true; tokens: StoredTokens } | { ok: false; code: 'signed_out' | 'network' };

/**
 * Token refresh with a single promise in flight. `exchange` posts the refresh token and returns the new pair.
 * A refused refresh (401/400: expired, revoked or reused family) clears the tokens: the user is signed out.
 * A network or server failure keeps them (the next request tries again).
 */
export class TokenRefresher {
  private readonly run: () => Promise<RefreshResult>;

  constructor(
    exchange: (refreshToken: string, walletUrl: string) => Promise<ApiResult<TokenPair>>,
    now: () => number,
  ) {
    this.run = singleFlight(async () => {
      const current = await tokensItem.getValue();
      if (!current) return { ok: false, code: 'signed_out' };
      const res = await exchange(current.refreshToken, current.walletUrl);
      if (res.ok) {
        const tokens = tokensFrom(res.value, current.accountId, now(), current.walletUrl);
        await tokensItem.setValue(tokens);
        return { ok: true, tokens };
      }
      if (
        res.code === 'network' ||
        (res.status !== null && res.status >= 500) ||
        res.code === 'rate_limited'
      ) {
        return { ok: false, code: 'network' };
      }
      await tokensItem.setValue(null);
      return { ok: false, code: 'signed_out' };
    });
  }

  /**
   * Fresh tokens after `staleAccessToken` was refused or is about to expire. If another caller already refreshed
   * (the stored access token changed), its tokens are used without a second refresh.
   */
  async refresh(staleAccessToken: string): Promise<RefreshResult> {
    const current = await tokensItem.getValue();
    if (!current) return { ok: false, code: 'signed_out' };
    if (current.accessToken !== staleAccessToken) return { ok: true, tokens: current };
    return this.run();
  }
}
