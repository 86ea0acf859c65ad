import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { addPendingRequest, getPendingRequest } from '../payment-requests';
import { confirmWindowItem, intentsItem, tokensItem } from '../../../utils/storage';
import { WalletClient } from '../wallet/client';
import { reconcileIntents } from '../wallet/intents';
import { createFakeWallet, PASSWORD, type FakeWallet } from '../../../tests/helpers/fake-wallet';
import type { MessageSender } from '../sender-guards';
import { fillComposerInTab } from '../fill';
import { composerChanged } from './composer';
import { confirmHandlers } from './confirm';
import { paymentHandlers } from './payments';
import { sessionHandlers } from './session';
import { tabHandlers } from './tab';

let wallet: FakeWallet;
let client: WalletClient;
let h: ReturnType<typeof handlers>;

function handlers(c: WalletClient) {
  return { ...sessionHandlers(c), ...paymentHandlers(c), ...confirmHandlers(c), ...tabHandlers };
}

async function signIn() {
  expect(await h.signIn({ email: wallet.me.email, password: PASSWORD })).toMatchObject({ ok: true });
}

/** A pending Pay request from an X tab (what `requestPayment` stores). */
async function pending(handle = 'bob', tweetId?: string, tabId: number | null = null) {
  const { request } = await addPendingRequest(
    { recipientHandle: handle, ...(tweetId && { tweetId }), source: tweetId ? 'tweet' : 'profile' },
    tabId,
  );
  return request.id;
}

/** An X tab; with `active`, the one `tabs.query({active, lastFocusedWindow})` finds (the fake tracks neither). */
async function xTab(url: string, active = false) {
  const tab = await fakeBrowser.tabs.create({ url });
  if (active) {
    vi.spyOn(fakeBrowser.tabs, 'query').mockImplementation(async (q) =>
      q.active && q.lastFocusedWindow ? [{ ...tab, active: true }] : [tab],
    );
  }
  return tab;
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('en-US');
  wallet = createFakeWallet();
  client = new WalletClient({ fetch: wallet.fetch, sleep: async () => undefined, backoffMs: [1, 1] });
  h = handlers(client);
});

describe('session handlers', () => {
  it('should refuse malformed sign-in payloads without calling the wallet', async () => {
    for (const bad of [
      null,
      'me@example.test',
      { email: 'me@example.test' },
      { email: 'me@example.test', password: PASSWORD, admin: true },
      { email: 'not-an-email', password: PASSWORD },
      { email: 'me@example.test', password: '' },
      { email: 42, password: PASSWORD },
    ]) {
      expect(await h.signIn(bad)).toEqual({ ok: false, code: 'invalid_request' });
    }
    expect(wallet.calls).toHaveLength(0);
  });

  it('should sign in, report the session, and sign out (revoked server-side, tokens forgotten)', async () => {
    expect(await h.getSession({})).toEqual({ ok: true, signedIn: false, me: null });
    expect(await h.signIn({ email: wallet.me.email, password: 'wrong password' })).toMatchObject({
      ok: false,
      code: 'unauthorized',
    });
    await signIn();
    expect(await h.getSession({})).toEqual({ ok: true, signedIn: true, me: wallet.me });
    expect(await fakeBrowser.alarms.get('poll-payments')).toMatchObject({ periodInMinutes: 1 });
    expect(await h.signOut({})).toEqual({ ok: true });
    expect(wallet.calls.some((c) => c.path === '/v1/auth/logout')).toBe(true);
    expect(await tokensItem.getValue()).toBeNull();
    expect(await fakeBrowser.alarms.get('poll-payments')).toBeUndefined();
    expect(await h.getSession({})).toEqual({ ok: true, signedIn: false, me: null });
  });

  it('should refresh an expired access token transparently and sign out when the session is revoked', async () => {
    await signIn();
    wallet.expireAccess();
    expect(await h.getSummary({})).toMatchObject({ ok: true, me: { id: 'acc-me' } });
    wallet.revoke();
    expect(await h.getSession({})).toEqual({ ok: true, signedIn: false, me: null });
    expect(await tokensItem.getValue()).toBeNull();
    expect(await h.getSummary({})).toEqual({ ok: false, code: 'signed_out' });
  });
});

describe('confirm window handlers', () => {
  it('should give the confirm window the request, the recipient as the server sees it, the rules and the balance', async () => {
    await signIn();
    const requestId = await pending('bob', '123');
    expect(await h.getConfirmContext({ requestId })).toMatchObject({
      ok: true,
      request: { requestId, recipientHandle: 'bob', tweetId: '123', source: 'tweet' },
      recipient: { handle: 'bob', registered: true },
      config: { botHandle: 'SMoneyfr' },
      me: { balance: { availableCents: 10_000 } },
    });
    expect(await h.getConfirmContext({ requestId: 'unknown' })).toEqual({
      ok: false,
      code: 'request_expired',
    });
    expect(await h.getConfirmContext({ requestId: '../me' })).toEqual({ ok: false, code: 'invalid_request' });
  });

  it('should ask to sign in before showing a request when there is no session', async () => {
    const requestId = await pending('bob');
    expect(await h.getConfirmContext({ requestId })).toEqual({ ok: false, code: 'signed_out' });
    expect(await h.createPayment({ requestId, amountCents: 500, mode: 'private' })).toEqual({
      ok: false,
      code: 'signed_out',
    });
  });

  it('should refuse malformed payments', async () => {
    await signIn();
    const requestId = await pending('bob');
    for (const bad of [
      { requestId, amountCents: 0, mode: 'private' },
      { requestId, amountCents: -500, mode: 'private' },
      { requestId, amountCents: 5.5, mode: 'private' },
      { requestId, amountCents: '500', mode: 'private' },
      { requestId, amountCents: 500, mode: 'free' },
      { requestId, amountCents: 500, mode: 'private', message: 'x'.repeat(281) },
      { requestId, amountCents: 500, mode: 'private', recipientHandle: 'mallory' },
    ]) {
      expect(await h.createPayment(bad)).toEqual({ ok: false, code: 'invalid_request' });
    }
    expect(wallet.paymentCalls()).toHaveLength(0);
  });

  it('should save the intent with its Idempotency-Key before the request leaves, then pay privately', async () => {
    await signIn();
    const requestId = await pending('bob');
    const seen: unknown[] = [];
    wallet.onCreate.push(async (call) => {
      const intent = (await intentsItem.getValue())[requestId];
      seen.push({ state: intent?.state, key: intent?.idempotencyKey === call.headers['idempotency-key'] });
    });
    const r = await h.createPayment({ requestId, amountCents: 500, mode: 'private', message: ' merci ' });
    expect(r).toMatchObject({
      ok: true,
      payment: { status: 'completed', amountCents: 500, message: 'merci' },
      fill: null,
    });
    expect(seen).toEqual([{ state: 'sending', key: true }]);
    expect((await intentsItem.getValue())[requestId]).toMatchObject({ state: 'sent', paymentId: 'pay-1' });
    expect(await getPendingRequest(requestId)).toBeNull();
  });

  it('should fill the composer of the originating X tab with the server tweet text, as a reply to the post', async () => {
    await signIn();
    const tab = await xTab('https://x.com/bob/status/123');
    const send = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ ok: true, method: 'paste' });
    const requestId = await pending('bob', '123', tab.id!);
    const r = await h.createPayment({ requestId, amountCents: 1250, mode: 'tweet' });
    expect(r).toMatchObject({
      ok: true,
      payment: { status: 'awaiting_tweet', replyToTweetId: '123' },
      fill: { ok: true, method: 'paste' },
    });
    expect(send).toHaveBeenCalledWith(
      tab.id,
      { type: 'fillComposer', data: { text: '@SMoneyfr #envoyer 12,50EUR @bob', replyToTweetId: '123' } },
      { frameId: 0 },
    );
    expect(wallet.paymentCalls()[0]?.body).toMatchObject({ replyToTweetId: '123', mode: 'tweet' });
  });

  it("should open X's web intent, as a reply, when the content script could not fill the composer", async () => {
    await signIn();
    const tab = await xTab('https://x.com/bob/status/123');
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ ok: false, code: 'no_composer' });
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    const requestId = await pending('bob', '123', tab.id!);
    const r = await h.createPayment({ requestId, amountCents: 500, mode: 'tweet' });
    expect(r).toMatchObject({ ok: true, fill: { ok: true, method: 'intent' } });
    expect(create).toHaveBeenCalledWith({
      url: 'https://x.com/intent/post?text=%40SMoneyfr+%23envoyer+5EUR+%40bob&in_reply_to=123',
      active: true,
    });
  });

  it("should open X's web intent when the X tab is gone", async () => {
    await signIn();
    const requestId = await pending('bob', undefined, 999);
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    const r = await h.createPayment({ requestId, amountCents: 500, mode: 'tweet' });
    expect(r).toMatchObject({ ok: true, fill: { ok: true, method: 'intent' } });
    expect(create).toHaveBeenCalledWith({
      url: 'https://x.com/intent/post?text=%40SMoneyfr+%23envoyer+5EUR+%40bob',
      active: true,
    });
  });

  it('should explain a refusal (over the limit) and let the user try another amount', async () => {
    await signIn();
    const requestId = await pending('bob');
    expect(await h.createPayment({ requestId, amountCents: 30_000, mode: 'private' })).toEqual({
      ok: false,
      code: 'limit_exceeded',
      message: 'Over the 250 € limit.',
    });
    expect((await intentsItem.getValue())[requestId]).toMatchObject({
      state: 'rejected',
      code: 'limit_exceeded',
    });
    expect(await h.createPayment({ requestId, amountCents: 2_000, mode: 'private' })).toMatchObject({
      ok: true,
      payment: { amountCents: 2_000 },
    });
    expect(wallet.payments).toHaveLength(1);
  });

  it('should pay exactly once when the answer is lost and the user confirms again', async () => {
    await signIn();
    const requestId = await pending('bob');
    wallet.setAnswer('drop');
    expect(await h.createPayment({ requestId, amountCents: 700, mode: 'private' })).toMatchObject({
      ok: false,
      code: 'network',
    });
    expect(wallet.payments).toHaveLength(1); // the server did pay
    wallet.setAnswer('ok');
    // Even with another amount: the first approval is settled first, and it went through.
    const again = await h.createPayment({ requestId, amountCents: 900, mode: 'private' });
    expect(again).toMatchObject({ ok: true, payment: { id: 'pay-1', amountCents: 700 } });
    expect(wallet.payments).toHaveLength(1);
    expect(new Set(wallet.paymentCalls().map((c) => c.headers['idempotency-key'])).size).toBe(1);
  });

  it('should pay exactly once when the worker died and the intent is reconciled on wake', async () => {
    await signIn();
    const requestId = await pending('bob');
    wallet.setAnswer('drop');
    await h.createPayment({ requestId, amountCents: 700, mode: 'private' });
    wallet.setAnswer('ok');
    expect(await reconcileIntents(client)).toBe(1);
    expect((await intentsItem.getValue())[requestId]).toMatchObject({ state: 'sent', paymentId: 'pay-1' });
    // The confirm window asks again: it gets the payment that exists, no new request is sent.
    const before = wallet.paymentCalls().length;
    expect(await h.createPayment({ requestId, amountCents: 700, mode: 'private' })).toMatchObject({
      ok: true,
      payment: { id: 'pay-1' },
    });
    expect(wallet.paymentCalls()).toHaveLength(before);
    expect(wallet.payments).toHaveLength(1);
  });

  it('should drop a canceled request', async () => {
    await signIn();
    const requestId = await pending('bob');
    expect(await h.cancelRequest({ requestId })).toEqual({ ok: true });
    expect(await getPendingRequest(requestId)).toBeNull();
    expect(await h.createPayment({ requestId, amountCents: 500, mode: 'private' })).toEqual({
      ok: false,
      code: 'request_expired',
    });
  });
});

describe('popup handlers', () => {
  it('should list pending and recent payments, count the pending ones on the badge and notify changes once', async () => {
    await signIn();
    const typed = wallet.newPayment({ amountCents: 300, mode: 'tweet', status: 'awaiting_confirmation' });
    wallet.newPayment({ amountCents: 100, mode: 'private', status: 'completed', direction: 'received' });
    // Right after sign-in the existing payments are recorded, not announced.
    await h.getSummary({});
    expect(Object.keys(await fakeBrowser.notifications.getAll())).toEqual([]);
    const summary = await h.getSummary({});
    expect(summary).toMatchObject({ ok: true, pending: [{ id: typed.id }] });
    expect(summary.ok && summary.recent.map((p) => p.id)).toEqual(['pay-2', 'pay-1']);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');

    expect(await h.confirmPayment({ paymentId: typed.id })).toMatchObject({
      ok: true,
      payment: { status: 'completed' },
    });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    expect(Object.keys(await fakeBrowser.notifications.getAll())).toEqual([`payment:${typed.id}:completed`]);
    await h.getSummary({});
    expect(Object.keys(await fakeBrowser.notifications.getAll())).toHaveLength(1);
    expect(await h.cancelPayment({ paymentId: '../../me' })).toEqual({ ok: false, code: 'invalid_request' });
  });

  it('should mark payments to confirm whose tweet the extension did not fill, and report a changed composer', async () => {
    await signIn();
    const tweet = '@SMoneyfr #envoyer 3EUR @bob';
    const ours = wallet.newPayment({
      amountCents: 300,
      mode: 'tweet',
      status: 'awaiting_confirmation',
      tweetText: tweet,
    });
    const typed = wallet.newPayment({
      amountCents: 24_900,
      mode: 'tweet',
      status: 'awaiting_confirmation',
      tweetText: '@SMoneyfr #envoyer 249EUR @mallory_pay',
    });
    // The background asked for `tweet` to be filled (no X tab: X's web intent opens).
    await fillComposerInTab(null, tweet, null);
    const summary = await h.getSummary({});
    expect(summary).toMatchObject({ ok: true, notWrittenByUs: [typed.id], composerChanged: false });
    expect(summary.ok && summary.pending.map((p) => p.id).sort()).toEqual([ours.id, typed.id].sort());

    const tab = { id: 7, url: 'https://x.com/bob' } as MessageSender['tab'];
    const from = { id: fakeBrowser.runtime.id, url: 'https://x.com/bob', frameId: 0, tab };
    expect(await composerChanged({ changed: 'yes' }, from)).toEqual({ ok: false, code: 'invalid_request' });
    expect(await composerChanged({ changed: true, extra: 1 }, from)).toEqual({
      ok: false,
      code: 'invalid_request',
    });
    expect(await composerChanged({ changed: true }, { ...from, tab: undefined })).toMatchObject({
      ok: false,
    });
    expect(await composerChanged({ changed: true }, from)).toEqual({ ok: true });
    expect(await h.getSummary({})).toMatchObject({ composerChanged: true });
    expect(await composerChanged({ changed: false }, from)).toEqual({ ok: true });
    expect(await h.getSummary({})).toMatchObject({ composerChanged: false });
  });

  it('should find the X profile or post of the active tab and open the confirm window for it', async () => {
    await xTab('https://x.com/bob/status/42?s=20', true);
    expect(await h.getActiveTabTarget({})).toEqual({
      ok: true,
      target: { recipientHandle: 'bob', tweetId: '42' },
    });
    const r = await h.payActiveTab({});
    expect(r).toMatchObject({ ok: true });
    const requestId = r.ok ? r.requestId : '';
    expect(await getPendingRequest(requestId)).toMatchObject({
      recipientHandle: 'bob',
      tweetId: '42',
      source: 'popup',
    });
    expect(await confirmWindowItem.getValue()).toMatchObject({ requestId });
  });

  it("should ask the X tab's content script where it is when the browser hides the tab's URL", async () => {
    const tab = await fakeBrowser.tabs.create({});
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ ...tab, url: undefined, active: true }]);
    const ask = vi
      .spyOn(fakeBrowser.tabs, 'sendMessage')
      .mockResolvedValue({ ok: true, url: 'https://x.com/Bob_Builder' });
    expect(await h.getActiveTabTarget({})).toEqual({
      ok: true,
      target: { recipientHandle: 'Bob_Builder', tweetId: null },
    });
    expect(ask).toHaveBeenCalledWith(tab.id, { type: 'getPageUrl', data: {} }, { frameId: 0 });
    // A page that says something that is not an X profile or post gives nothing to pay.
    ask.mockResolvedValue({ ok: true, url: 'javascript:alert(1)' });
    expect(await h.getActiveTabTarget({})).toEqual({ ok: true, target: null });
  });

  it('should say there is nothing to pay when the active tab is not an X profile or post', async () => {
    await xTab('https://x.com/home', true);
    expect(await h.getActiveTabTarget({})).toEqual({ ok: true, target: null });
    expect(await h.payActiveTab({})).toEqual({ ok: false, code: 'no_target' });
  });
});
