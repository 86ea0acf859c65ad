/**
 * page-health: notices when X's page clearly shows posts or someone's profile and no Pay button could be placed
 * (X changed its page), and tells the background, which says so on this tab's toolbar badge and in the popup
 * (whose "Pay the profile in this tab" works from the URL alone). Counts only (utils/x/health.ts), nothing else.
 *
 * Cheap: one check at most every CHECK_MS while the page changes, never per post; a report is sent only when the
 * verdict changes, and once after each page load or navigation.
 */
import { sendMessage } from '../../utils/messaging';
import { isPaused, readPageHealth } from '../../utils/x/health';
import type { ScriptContext } from '../../utils/x/lifecycle';
import { onBatch, onNavigate } from '../../utils/x/observe';
import { ownHandle } from '../../utils/x/page';

/** How long the page gets to settle before it is judged (X renders in bursts); also the longest gap between checks. */
const CHECK_MS = 500;

export function pageHealth(ctx: ScriptContext): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reported: boolean | null = null;
  const check = () => {
    timer = undefined;
    if (ctx.isInvalid) return;
    const report = readPageHealth(document, location.pathname, ownHandle(document));
    const paused = isPaused(report);
    if (paused === reported) return;
    reported = paused;
    sendMessage('reportPageHealth', report).catch(() => undefined);
  };
  const schedule = () => {
    timer ??= setTimeout(check, CHECK_MS);
  };
  onBatch(ctx, schedule);
  onNavigate(ctx, () => {
    reported = null;
    schedule();
  });
  ctx.onInvalidated(() => clearTimeout(timer));
  schedule();
}
