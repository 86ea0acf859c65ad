/**
 * Background duties, safe with several server processes on one PostgreSQL:
 * - expiry: `awaiting_tweet` / `awaiting_confirmation` after `confirmMinutes` → canceled (funds back),
 *   `claimable` after `claimDays` → refunded; rows taken with FOR UPDATE SKIP LOCKED in batches;
 * - X events stored but not processed (the process died in between) are processed;
 * - housekeeping: idempotency keys older than 48 h, expired access tokens.
 */
import type { Deps } from './deps';
import { KEEP_KEYS_MS } from './idempotency';
import { errorFields } from './log';
import { expireDue } from './payments/transitions';
import { processPendingEvents } from './x/events';

export interface SweepResult {
  expired: number;
  events: number;
}

/** One full pass (tests call it directly, with an advanced clock). */
export async function sweep(deps: Deps): Promise<SweepResult> {
  let expired = 0;
  for (;;) {
    const n = await deps.db.transaction((tx) => expireDue(tx, deps.clock()));
    expired += n;
    if (n < 100) break;
  }
  const events = await processPendingEvents(deps);
  const now = deps.clock();
  await deps.db.query(`DELETE FROM idempotency_keys WHERE created_at < $1`, [
    new Date(now.getTime() - KEEP_KEYS_MS),
  ]);
  await deps.db.query(`DELETE FROM access_tokens WHERE expires_at < $1`, [now]);
  // Sign in with X: pending links are useless once expired (kept a day for the logs' sake).
  await deps.db.query(`DELETE FROM x_link_states WHERE expires_at < $1`, [
    new Date(now.getTime() - 86_400_000),
  ]);
  if (expired || events) deps.log.info('sweep', { expired, events });
  return { expired, events };
}

/** Runs `sweep` every `intervalMs` (never two at once); returns a stop function that waits for the pass in progress. */
export function startSweeper(deps: Deps, intervalMs: number): () => Promise<void> {
  let running: Promise<void> | undefined;
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped || running) return; // a slow pass is never doubled
    running = sweep(deps)
      .then(
        () => undefined,
        (err: unknown) => deps.log.error('sweep failed', errorFields(err)),
      )
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
