/**
 * The health of each X tab's page (utils/x/health.ts). `reportPageHealth` (content script): counts only; when the
 * page shows posts or a profile and no Pay button could be placed, that tab's toolbar badge shows "!" with a
 * tooltip saying so in plain words. `getTabHealth` (popup): whether the tab the popup speaks of is in that state.
 * Nothing leaves the browser.
 */
import { browser } from 'wxt/browser';
import { pausedText, resolveLang } from '../../../utils/i18n';
import type { MessageReply } from '../../../utils/messaging';
import type { MessageSender } from '../sender-guards';
import { getSettings, tabHealthItem } from '../../../utils/storage';
import { isPaused, parsePageHealthReport } from '../../../utils/x/health';
import { candidateTabs } from './tab';
import { INVALID, isEmpty } from './validate';

type TabAction = {
  setBadgeText(d: { tabId: number; text: string | null }): Promise<void>;
  setBadgeBackgroundColor(d: { tabId: number; color: string }): Promise<void>;
  setTitle(d: { tabId: number; title: string | null }): Promise<void>;
};

function action(): TabAction | undefined {
  const b = browser as unknown as { action?: TabAction; browserAction?: TabAction };
  return b.action ?? b.browserAction;
}

/** The tab's own badge: "!" and the reason while paused; otherwise the global badge (null resets the tab's). */
async function showOnBadge(tabId: number, paused: boolean): Promise<void> {
  const a = action();
  if (!a) return;
  const ignore = () => undefined;
  if (!paused) {
    await a.setBadgeText({ tabId, text: null }).catch(ignore);
    await a.setTitle({ tabId, title: null }).catch(ignore);
    return;
  }
  const { language } = await getSettings();
  const lang = resolveLang(language, browser.i18n.getUILanguage());
  await a.setBadgeBackgroundColor({ tabId, color: '#b35c00' }).catch(ignore);
  await a.setBadgeText({ tabId, text: '!' }).catch(ignore);
  await a.setTitle({ tabId, title: pausedText(lang) }).catch(ignore);
}

export async function reportPageHealth(
  data: unknown,
  sender: MessageSender,
): Promise<MessageReply<'reportPageHealth'>> {
  const tabId = sender.tab?.id;
  if (tabId === undefined) return { ok: false, code: 'forbidden' };
  const report = parsePageHealthReport(data);
  if (!report) return { ok: false, code: 'invalid_request' };
  const paused = isPaused(report);
  const all = await tabHealthItem.getValue();
  if (all[tabId] !== paused) await tabHealthItem.setValue({ ...all, [tabId]: paused });
  // Every report sets the badge: the browser resets a tab's badge when the tab loads another page.
  await showOnBadge(tabId, paused);
  return { ok: true };
}

/** Forgets a closed tab. */
export async function forgetTabHealth(tabId: number): Promise<void> {
  const all = await tabHealthItem.getValue();
  if (!(tabId in all)) return;
  const { [tabId]: _gone, ...rest } = all;
  await tabHealthItem.setValue(rest);
}

export const healthHandlers = {
  async getTabHealth(data: unknown): Promise<MessageReply<'getTabHealth'>> {
    if (!isEmpty(data)) return INVALID;
    const all = await tabHealthItem.getValue();
    for (const tab of await candidateTabs()) {
      const known = tab.id === undefined ? undefined : all[tab.id];
      if (known !== undefined) return { ok: true, paused: known };
    }
    return { ok: true, paused: false };
  },
};
