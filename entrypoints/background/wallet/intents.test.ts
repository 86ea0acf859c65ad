import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { intentKeyItem, intentsItem, tokensItem } from '../../../utils/storage';
import { WalletClient } from './client';
import { createFakeFetch, json, problem, type RecordedCall } from '../../../tests/helpers/fake-fetch';
import { getIntent, INTENT_MAX_AGE_MS, reconcileIntents, saveNewIntent, sendIntent } from './intents';
import type { CreatePaymentBody } from '../../../core/wallet-types';

const BODY: CreatePaymentBody = {
  recipientHandle: 'bob',
  amountCents: 500,
  currency: 'EUR',
  mode: 'private',
};

/** A fake wallet that honours Idempotency-Keys like the real one: same key → the stored answer. */
function fakeWallet() {
  const byKey = new Map<string, { id: string }>();
  let created = 0;
  let mode: 'ok' | 'drop-answer' | 'offline' | 'limit' = 'ok';
  const fake = createFakeFetch({
    'POST /v1/payments': async (call: RecordedCall) => {
      if (mode === 'offline') throw new TypeError('offline');
      if (mode === 'limit') return problem(422, 'limit_exceeded');
      const key = call.headers['idempotency-key'];
      if (!key) return problem(400, 'invalid_request');
      let payment = byKey.get(key);
      if (!payment) {
        payment = { id: `pay-${++created}` };
        byKey.set(key, payment);
      }
      // 'drop-answer': the server executed it, but the answer never reaches the worker (killed / connection lost)
      if (mode === 'drop-answer') throw new TypeError('connection reset');
      return json(201, payment);
    },
  });
  return { ...fake, created: () => created, setMode: (m: typeof mode) => (mode = m) };
}

function client(fetch: typeof globalThis.fetch) {
  return new WalletClient({ fetch, now: () => Date.now(), sleep: async () => undefined, backoffMs: [] });
}

async function signIn(accountId = 'acc-1') {
  await tokensItem.setValue({
    accessToken: 'A',
    refreshToken: 'R',
    accessExpiresAt: Date.now() + 600_000,
    accountId,
    walletUrl: 'http://127.0.0.1:8787',
  });
}

describe('payment intents', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await signIn();
  });

  it('should save the intent before the request leaves, and send its key', async () => {
    const wallet = fakeWallet();
    const seenAtSend: unknown[] = [];
    const spy = (async (url: RequestInfo | URL, init?: RequestInit) => {
      seenAtSend.push(Object.values(await intentsItem.getValue()));
      return wallet.fetch(url, init);
    }) as typeof fetch;
    const intent = await saveNewIntent({ requestId: 'r1', body: BODY, accountId: 'acc-1', tabId: 4 });
    const res = await sendIntent(client(spy), intent);
    expect(res).toMatchObject({ ok: true, value: { id: 'pay-1' } });
    expect(seenAtSend[0]).toEqual([
      expect.objectContaining({ state: 'sending', idempotencyKey: intent.idempotencyKey }),
    ]);
    expect(wallet.calls[0]?.headers['idempotency-key']).toBe(intent.idempotencyKey);
    expect(await getIntent('r1')).toMatchObject({ state: 'sent', paymentId: 'pay-1', attempts: 1 });
  });

  it('should pay exactly once when the answer is lost and the intent is reconciled later', async () => {
    const wallet = fakeWallet();
    const intent = await saveNewIntent({ requestId: 'r1', body: BODY, accountId: 'acc-1', tabId: null });
    wallet.setMode('drop-answer');
    expect(await sendIntent(client(wallet.fetch), intent)).toMatchObject({ ok: false, code: 'network' });
    expect(await getIntent('r1')).toMatchObject({ state: 'sending' });
    // a new worker wakes up: a fresh client, nothing in memory
    wallet.setMode('ok');
    expect(await reconcileIntents(client(wallet.fetch))).toBe(1);
    expect(wallet.created()).toBe(1);
    expect(new Set(wallet.calls.map((c) => c.headers['idempotency-key']))).toEqual(
      new Set([intent.idempotencyKey]),
    );
    expect(await getIntent('r1')).toMatchObject({ state: 'sent', paymentId: 'pay-1' });
    expect(await reconcileIntents(client(wallet.fetch))).toBe(0);
  });

  it('should keep an intent unfinished while offline, and reject it on a definitive refusal', async () => {
    const wallet = fakeWallet();
    await saveNewIntent({ requestId: 'r1', body: BODY, accountId: 'acc-1', tabId: null });
    wallet.setMode('offline');
    await reconcileIntents(client(wallet.fetch));
    expect(await getIntent('r1')).toMatchObject({ state: 'sending' });
    wallet.setMode('limit');
    await reconcileIntents(client(wallet.fetch));
    expect(await getIntent('r1')).toMatchObject({ state: 'rejected', code: 'limit_exceeded' });
  });

  it('should never send an intent with another account, nor signed out', async () => {
    const wallet = fakeWallet();
    await saveNewIntent({ requestId: 'r1', body: BODY, accountId: 'acc-1', tabId: null });
    await signIn('acc-2');
    expect(await reconcileIntents(client(wallet.fetch))).toBe(0);
    await tokensItem.setValue(null);
    expect(await reconcileIntents(client(wallet.fetch))).toBe(0);
    expect(wallet.calls).toHaveLength(0);
    expect(await getIntent('r1')).toMatchObject({ state: 'sending' });
  });

  it('should abandon an intent too old to be replayed safely', async () => {
    const wallet = fakeWallet();
    const now = Date.now();
    await saveNewIntent(
      { requestId: 'r1', body: BODY, accountId: 'acc-1', tabId: null },
      now - INTENT_MAX_AGE_MS - 1,
    );
    expect(await reconcileIntents(client(wallet.fetch), () => now)).toBe(0);
    expect(await getIntent('r1')).toMatchObject({ state: 'abandoned' });
    expect(wallet.calls).toHaveLength(0);
  });

  it('should refuse a second intent for a request while the first is unfinished', async () => {
    await saveNewIntent({ requestId: 'r1', body: BODY, accountId: 'acc-1', tabId: null });
    await expect(
      saveNewIntent({ requestId: 'r1', body: BODY, accountId: 'acc-1', tabId: null }),
    ).rejects.toThrow();
  });

  it('should never send an intent it did not save: forged or tampered in storage.local (content scripts can write it)', async () => {
    const wallet = fakeWallet();
    const real = await saveNewIntent({ requestId: 'r1', body: BODY, accountId: 'acc-1', tabId: null });
    const forged = { ...real, requestId: 'evil', body: { ...BODY, recipientHandle: 'mallory' } };
    const tampered = { ...real, body: { ...BODY, amountCents: 25_000 } };
    await intentsItem.setValue({ evil: forged, r1: tampered });
    expect(await reconcileIntents(client(wallet.fetch))).toBe(2);
    expect(wallet.calls).toHaveLength(0);
    expect(await getIntent('evil')).toMatchObject({ state: 'abandoned', code: 'unauthenticated' });
    expect(await getIntent('r1')).toMatchObject({ state: 'abandoned', code: 'unauthenticated' });
  });

  it('should not replay an intent from a past browser session (its key is gone with storage.session)', async () => {
    const wallet = fakeWallet();
    const intent = await saveNewIntent({ requestId: 'r1', body: BODY, accountId: 'acc-1', tabId: null });
    await intentKeyItem.setValue(null);
    expect(await sendIntent(client(wallet.fetch), intent)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(wallet.calls).toHaveLength(0);
    expect(await getIntent('r1')).toMatchObject({ state: 'abandoned' });
  });
});
