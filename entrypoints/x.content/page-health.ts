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
import { ownHandle, profileHandleFromPath } from '../../utils/x/page';
import { PAY_HOST_PROFILE, PAY_HOST_TWEET } from '../../utils/x/selectors';
import { payButtonsOn } from './pay-buttons-switch';

/** How long the page gets to settle before it is judged (X renders in bursts); also the longest gap between checks. */
const CHECK_MS = 500;

export function pageHealth(ctx: ScriptContext): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reported: boolean | null = null;
  const check = () => {
    timer = undefined;
    if (ctx.isInvalid) return;
    // The common case, cheaply: posts have buttons, and a profile page's header has its one.
    const profilePage = profileHandleFromPath(location.pathname) !== null;
    if (
      reported === false &&
      document.querySelector(PAY_HOST_TWEET) &&
      (!profilePage || document.querySelector(PAY_HOST_PROFILE))
    )
      return;
    const report = readPageHealth(document, location.pathname, ownHandle(document));
    // Buttons the user switched off are not missing: their absence says nothing about X's page.
    if (!payButtonsOn('posts')) report.posts = 0;
    if (!payButtonsOn('profiles')) report.profile = false;
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
