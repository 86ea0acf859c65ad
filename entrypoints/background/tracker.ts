/**
 * Status tracking: poll the wallet for the payments that can still change, notify each new
 * notifiable status once (entrypoints/background/wallet/status.ts), and keep the toolbar badge at the number of payments awaiting
 * the user's confirmation. Runs on the `poll` alarm, after sign-in, after a payment and whenever a page reads the
 * summary.
 */
import { browser } from 'wxt/browser';
import { resolveLang } from '../../utils/i18n';
import { getSettings, trackedItem } from '../../utils/storage';
import type { WalletClient } from './wallet/client';
import type { Lang } from '../../core/lang';
import { awaitingMyConfirmation, trackPayments, type Notice } from './wallet/status';
import { FINAL_STATUSES, type Payment } from '../../core/wallet-types';

export const POLL_ALARM = 'poll-payments';
export const POLL_SOON_ALARM = 'poll-payments-soon';
/** Period of the background poll while signed in. */
export const POLL_PERIOD_MIN = 1;
/** Non-final payments looked up one by one per poll when they fell out of the latest page. */
const MAX_LOOKUPS = 10;

type Action = {
  setBadgeText(d: { text: string }): Promise<void>;
  setBadgeBackgroundColor(d: { color: string }): Promise<void>;
};

function action(): Action | undefined {
  const b = browser as unknown as { action?: Action; browserAction?: Action };
  return b.action ?? b.browserAction;
}

/** The toolbar badge: the number of payments waiting for the user's confirmation ('' for none). */
export async function setBadge(count: number): Promise<void> {
  const a = action();
  if (!a) return;
  await a.setBadgeBackgroundColor({ color: '#d4351c' }).catch(() => undefined);
  await a.setBadgeText({ text: count > 0 ? String(Math.min(count, 99)) : '' }).catch(() => undefined);
}

async function notificationLang(): Promise<Lang> {
  const { language } = await getSettings();
  return resolveLang(language, browser.i18n.getUILanguage());
}

async function notify(id: string, notice: Notice): Promise<void> {
  await browser.notifications.create(id, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: notice.title,
    message: notice.message,
  });
}

/**
 * Records what the wallet just told about `payments` (notifications for new statuses) and, when the full list of
 * payments awaiting the user's confirmation is known, sets the badge.
 */
export async function observePayments(
  client: WalletClient,
  payments: readonly Payment[],
  awaitingConfirmation?: readonly Payment[],
): Promise<void> {
  const accountId = await client.accountId();
  if (!accountId) return;
  await trackPayments(accountId, payments, await notificationLang(), notify);
  if (awaitingConfirmation) await setBadge(awaitingMyConfirmation(awaitingConfirmation));
}

/**
 * One poll: the latest payments, the ones awaiting confirmation, and the tracked non-final payments that are no
 * longer among the latest. Returns false when there is no session (the badge is cleared).
 */
export async function pollPayments(client: WalletClient): Promise<boolean> {
  if (!(await client.hasSession())) {
    await setBadge(0);
    return false;
  }
  const [recent, awaiting] = await Promise.all([
    client.payments({ limit: 50 }),
    client.payments({ status: 'awaiting_confirmation', limit: 100 }),
  ]);
  if (!recent.ok || !awaiting.ok) {
    if (!(await client.hasSession())) await setBadge(0);
    return false;
  }
  const seen = new Map<string, Payment>();
  for (const p of [...recent.value.items, ...awaiting.value.items]) seen.set(p.id, p);
  const tracked = await trackedItem.getValue();
  const stale = Object.entries(tracked.statuses)
    .filter(([id, status]) => !seen.has(id) && !FINAL_STATUSES.includes(status))
    .slice(-MAX_LOOKUPS);
  for (const [id] of stale) {
    const one = await client.payment(id);
    if (one.ok) seen.set(id, one.value);
  }
  await observePayments(client, [...seen.values()], awaiting.value.items);
  return true;
}

/** Starts the periodic poll (idempotent: an existing alarm keeps its schedule). */
export async function schedulePolling(): Promise<void> {
  const existing = await browser.alarms.get(POLL_ALARM);
  if (!existing) await browser.alarms.create(POLL_ALARM, { periodInMinutes: POLL_PERIOD_MIN });
}

/** One extra poll soon (after a payment was created, so its outcome shows quickly). */
export async function pollSoon(): Promise<void> {
  await browser.alarms.create(POLL_SOON_ALARM, { delayInMinutes: 0.5 });
}

export async function stopPolling(): Promise<void> {
  await browser.alarms.clear(POLL_ALARM);
  await browser.alarms.clear(POLL_SOON_ALARM);
  await setBadge(0);
}
