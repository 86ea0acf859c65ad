/**
 * Linking an X account to a wallet, the one way both paths use: "Sign in with X" (`oauth.ts`, X vouches
 * for the id and handle) and the sandbox link (`POST /v1/me/x-account`). In one transaction: refuse the
 * bot's account and an X account linked to another wallet, link, then credit the claims waiting for it.
 */
import type { Queryable } from '../db';
import { uniqueViolation } from '../db/types';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import { claimFor } from '../payments/transitions';
import { findByXUserId, getAccount, type AccountRow } from '../accounts';

export async function linkXAccount(
  tx: Queryable,
  deps: Deps,
  accountId: string,
  x: { id: string; handle: string; verifiedByX: boolean },
  now: Date,
): Promise<{ account: AccountRow; claimed: number }> {
  if (x.handle.toLowerCase() === deps.config.botHandle.toLowerCase() || x.id === deps.xBotUserId) {
    throw new ApiError('forbidden', `@${deps.config.botHandle} is the wallet's bot account.`);
  }
  const other = await findByXUserId(tx, x.id);
  if (other && other.id !== accountId) {
    throw new ApiError('conflict', 'This X account is linked to another wallet.');
  }
  const [byHandle] = await tx.query<{ id: string }>(
    `SELECT id FROM accounts WHERE lower(x_handle) = lower($1) AND id <> $2 AND kind <> 'system'`,
    [x.handle, accountId],
  );
  if (byHandle) {
    // X says this handle is this X user's now: another wallet showing it has a stale handle (money
    // follows the X user id). Without X's word (sandbox), the handle is someone else's: a conflict.
    if (!x.verifiedByX) throw new ApiError('conflict', 'This X account is linked to another wallet.');
    await tx.query(`UPDATE accounts SET x_handle = NULL WHERE id = $1`, [byHandle.id]);
  }
  try {
    await tx.query(`UPDATE accounts SET x_handle = $2, x_user_id = $3 WHERE id = $1`, [
      accountId,
      x.handle,
      x.id,
    ]);
  } catch (err) {
    if (uniqueViolation(err) !== undefined) {
      throw new ApiError('conflict', 'This X account is linked to another wallet.');
    }
    throw err;
  }
  const account = await getAccount(tx, accountId);
  const claimed = await claimFor(tx, account, now);
  return { account, claimed };
}
