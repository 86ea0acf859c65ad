/**
 * pay-on-profile: one Pay button in a profile header's action row, before the Follow button.
 * None on your own profile (X shows "Edit profile" there) and none while the header names another handle than the
 * URL (a stale render during navigation). Survives Follow/Unfollow (X re-creates the Follow subtree) and
 * profile → home → profile navigation: every navigation re-checks the one button.
 */
import { sendMessage } from '../../utils/messaging';
import type { ScriptContext } from '../../utils/x/lifecycle';
import { ignoreAdded, ignoreRemoved, observe, onBatch, onNavigate } from '../../utils/x/observe';
import { pageLang, pageTheme, profileHandleFromPath, profileSlot, sameHandle } from '../../utils/x/page';
import { PAY_HOST_PROFILE, PROFILE_HEADER_PARTS } from '../../utils/x/selectors';
import {
  createPayHost,
  isOurHost,
  isRemovedHost,
  listenToPayHosts,
  payLabel,
  removePayHost,
  updatePayHost,
} from './pay-button';
import { onPayButtonsOn, payButtonsOn } from './pay-buttons-switch';

/** The handle each of our profile hosts pays. */
const handles = new WeakMap<Element, string>();

/**
 * At the user's press: the header must name, right now, the profile the button was made for; the click that
 * follows pays only if it still does, on the same page.
 */
function onPress(host: HTMLElement): (() => void) | null {
  const slot = profileSlot(document, location.pathname);
  const pressed = handles.get(host);
  if (
    slot.kind !== 'other' ||
    !pressed ||
    !sameHandle(slot.handle, pressed) ||
    host.nextElementSibling !== slot.anchor
  ) {
    sync();
    return null;
  }
  const path = location.pathname;
  return () => {
    const now = profileSlot(document, location.pathname);
    if (
      location.pathname !== path ||
      now.kind !== 'other' ||
      !sameHandle(now.handle, pressed) ||
      !host.isConnected
    ) {
      sync();
      return;
    }
    sendMessage('requestPayment', { recipientHandle: pressed, source: 'profile' }).catch(() => undefined);
  };
}

function sync(): void {
  const slot = payButtonsOn('profiles')
    ? profileSlot(document, location.pathname)
    : { kind: 'none' as const };
  let keep: HTMLElement | null = null;
  for (const host of document.querySelectorAll<HTMLElement>(PAY_HOST_PROFILE)) {
    const fits =
      slot.kind === 'other' &&
      !keep &&
      host.nextElementSibling === slot.anchor &&
      sameHandle(handles.get(host), slot.handle) &&
      isOurHost(host);
    if (fits) keep = host;
    else removePayHost(host);
  }
  if (slot.kind !== 'other') return;
  const label = payLabel(slot.handle, pageLang(document));
  if (keep) {
    updatePayHost(keep, { label, theme: pageTheme(document) });
    return;
  }
  const host = createPayHost({ variant: 'profile', label, theme: pageTheme(document), onPress });
  handles.set(host, slot.handle);
  slot.anchor.before(host);
}

/** Adds a Pay button to the header of every profile but your own. */
export function payOnProfile(ctx: ScriptContext): void {
  listenToPayHosts(ctx);
  ignoreAdded(ctx, isOurHost);
  ignoreRemoved(ctx, isRemovedHost);
  // Read once per navigation (onNavigate runs before the watchers of the batch that saw it), not per batch.
  let profilePage = profileHandleFromPath(location.pathname) !== null;
  let theme = pageTheme(document);
  onBatch(ctx, ({ styleChanged }) => {
    if (!styleChanged) return;
    const next = pageTheme(document);
    if (next === theme) return;
    theme = next;
    for (const host of document.querySelectorAll<HTMLElement>(PAY_HOST_PROFILE))
      updatePayHost(host, { theme });
  });
  onNavigate(ctx, () => {
    profilePage = profileHandleFromPath(location.pathname) !== null;
    sync();
  });
  observe(ctx, PROFILE_HEADER_PARTS, sync, { when: () => profilePage });
  onPayButtonsOn('profiles', sync);
  ctx.onInvalidated(() => {
    for (const host of document.querySelectorAll<HTMLElement>(PAY_HOST_PROFILE)) removePayHost(host);
  });
}

/*
 * Manual test: 1. open https://x.com/<someone>  2. a round coin button sits before Follow  3. Follow, Unfollow,
 * go Home and back: still exactly one  4. on your own profile there is none  5. click it: the confirm window
 * names @<someone>.
 */
