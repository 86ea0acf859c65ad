/**
 * pay-buttons-switch: the user's off switch for the Pay buttons ("Show Pay buttons on posts / on profiles" in the
 * options, the quick switch in the popup). Reads the setting from `storage.local` and watches it: turning a place
 * off removes every button of that place from this tab at once; turning it on again asks that place's feature to
 * add its buttons back. Until the setting is read, no button is added (no flash of buttons the user turned off).
 */
import { browser } from 'wxt/browser';
import {
  changedPlaces,
  PAY_BUTTONS_KEY,
  sanitizePayButtons,
  type PayButtonPlace,
  type PayButtonsSetting,
} from '../../utils/pay-buttons';
import type { ScriptContext } from '../../utils/x/lifecycle';
import { PAY_HOST_PROFILE, PAY_HOST_TWEET } from '../../utils/x/selectors';
import { removePayHost } from './pay-button';

const HOSTS: Record<PayButtonPlace, string> = { posts: PAY_HOST_TWEET, profiles: PAY_HOST_PROFILE };

/** Null until read: nothing shows before the setting is known. */
let current: PayButtonsSetting | null = null;
const resyncs: Record<PayButtonPlace, (() => void)[]> = { posts: [], profiles: [] };

/** Whether the Pay buttons of `place` may be shown (the check every feature makes before adding one). */
export function payButtonsOn(place: PayButtonPlace): boolean {
  return current?.[place] === true;
}

/** `resync` runs when `place` is turned on (or the setting is first read with it on): add the buttons. */
export function onPayButtonsOn(place: PayButtonPlace, resync: () => void): void {
  resyncs[place].push(resync);
}

function apply(next: PayButtonsSetting): void {
  const before = current ?? { posts: false, profiles: false };
  current = next;
  for (const place of changedPlaces(before, next)) {
    if (!next[place]) {
      for (const host of document.querySelectorAll<HTMLElement>(HOSTS[place])) removePayHost(host);
      continue;
    }
    for (const resync of resyncs[place]) {
      try {
        resync();
      } catch (error) {
        console.error(`[tweetez-payez] pay buttons on ${place}:`, error);
      }
    }
  }
}

/** Reads the setting, then follows its changes (bound to `ctx`). */
export function payButtonsSwitch(ctx: ScriptContext): void {
  const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'local' || !(PAY_BUTTONS_KEY in changes) || ctx.isInvalid) return;
    apply(sanitizePayButtons(changes[PAY_BUTTONS_KEY]?.newValue));
  };
  browser.storage.onChanged.addListener(onChanged);
  ctx.onInvalidated(() => browser.storage.onChanged.removeListener(onChanged));
  void browser.storage.local
    .get(PAY_BUTTONS_KEY)
    .then((stored) => {
      // A change seen by the listener meanwhile is newer than what this read returned.
      if (current === null && !ctx.isInvalid) apply(sanitizePayButtons(stored[PAY_BUTTONS_KEY]));
    })
    .catch((error: unknown) => {
      // Storage unreadable: keep X usable with the default (buttons shown).
      console.error('[tweetez-payez] pay buttons setting:', error);
      if (current === null) apply(sanitizePayButtons(undefined));
    });
}
