import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

const me = { id: 'u1', email: 'alice@example.com', displayName: 'Alice Martin', kind: 'person', xHandle: 'alice', xUserId: '1', balance: { availableCents: 12345, heldCents: 500 }, currency: 'EUR' };
const pay = (o: object) => ({ id: 'p' + Math.random(), direction: 'sent', payer: { handle: 'alice', displayName: 'Alice' }, recipient: { handle: 'bob', displayName: 'Bob', registered: true }, amountCents: 500, feeCents: 0, currency: 'EUR', message: null, mode: 'tweet', status: 'completed', tweetText: '@SMoneyfr #envoyer 5EUR @bob', tweetId: '1790000000000000001', replyToTweetId: null, createdAt: '2026-11-23T09:00:00Z', updatedAt: '2026-11-23T09:00:00Z', expiresAt: null, ...o });
const config = { botHandle: 'SMoneyfr', hashtag: 'envoyer', currency: 'EUR', limits: { personCents: 25000, associationCents: 50000, unregisteredCents: 25000 }, minCents: 1, claimDays: 14, confirmMinutes: 15, businessFeeBps: { min: 100, max: 200 } };
const responses = {
  getSession: { ok: true, signedIn: true, me },
  getSummary: { ok: true, me, pending: [pay({ id: 'q1', status: 'awaiting_confirmation', tweetId: null, expiresAt: '2026-11-23T09:15:00Z', recipient: { handle: 'carol', displayName: 'Carol', registered: true }, amountCents: 1250 })], recent: [pay({}), pay({ direction: 'received', payer: { handle: 'dave', displayName: 'Dave' }, status: 'completed', tweetId: null, amountCents: 2000, message: 'Merci pour le resto !' }), pay({ status: 'claimable', recipient: { handle: 'newbie', displayName: null, registered: false } }), pay({ status: 'awaiting_tweet' })] },
  getActiveTabTarget: { ok: true, target: { recipientHandle: 'bob', tweetId: null } },
  getConfirmContext: { ok: true, request: { requestId: 'r1', recipientHandle: 'bob', tweetId: null, source: 'profile', tabId: 1, createdAt: '' }, recipient: { handle: 'bob', registered: false, displayName: 'Bob <b>Dupont</b>', kind: 'person', limitCents: 25000, feeBps: 0 }, config, me },
};

for (const scheme of ['light', 'dark'] as const) {
  for (const lang of ['en', 'fr']) {
    test(`shots ${scheme} ${lang}`, async ({ context, extensionId }) => {
      await context.addInitScript(({ responses, lang }) => {
        const r = responses as Record<string, unknown>;
        // eslint-disable-next-line
        const c = (globalThis as any).chrome;
        if (!c?.runtime?.id) return;
        c.runtime.sendMessage = (...args: unknown[]) => {
          const msg = args[0] as { type: string };
          const cb = args.find((a) => typeof a === 'function') as ((x: unknown) => void) | undefined;
          const res = r[msg.type] ?? { ok: false, code: 'invalid_request' };
          if (cb) setTimeout(() => cb(res), 10);
          return Promise.resolve(res);
        };
        c.i18n.getUILanguage = () => lang;
      }, { responses, lang });
      for (const [name, url, w, h] of [['popup', 'popup.html', 360, 800], ['confirm', 'confirm.html?request=r1', 420, 1000], ['options', 'options.html', 700, 800]] as const) {
        const page = await context.newPage();
        await page.setViewportSize({ width: w, height: h });
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`chrome-extension://${extensionId}/${url}`);
        await page.waitForTimeout(1500);
        await page.screenshot({ path: `/tmp/pages-dev/${name}-${scheme}-${lang}.png`, fullPage: true });
        const axe = await new AxeBuilder({ page }).analyze();
        const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        console.log(name, scheme, lang, axe.violations.map((v) => `${v.impact}:${v.id}:${v.nodes.length}:${v.nodes.map(n=>n.target.join(' ')).slice(0,3).join(' | ')}`));
        expect.soft(bad).toEqual([]);
        await page.close();
      }
    });
  }
}
