/**
 * Payment intents: a payment the user approved is saved (with its Idempotency-Key, state `sending`) BEFORE its
 * request leaves, and every (re-)send uses that same key — the server replays instead of paying twice. On wake
 * (startup, install, alarms, the next message) {@link reconcileIntents} re-sends unfinished intents, so a payment
 * is never lost and never doubled even if the worker is killed mid-request.
 */
import { intentKeyItem, intentsItem, type PaymentIntent } from '../../../utils/storage';
import { createLock, singleFlight } from '../../../utils/serial';
import type { ApiResult, WalletClient } from './client';
import type { CreatePaymentBody, Payment } from '../../../core/wallet-types';

/** The server keeps keys ≥ 24 h; past this age an unsent intent is abandoned rather than risk a second payment. */
export const INTENT_MAX_AGE_MS = 20 * 3_600_000;
/** Finished intents are forgotten after this. */
export const INTENT_KEEP_MS = 7 * 24 * 3_600_000;

export const withIntents = createLock();
/** Intents being sent right now by this worker (reconciliation leaves them alone). */
const inFlight = new Set<string>();

const withKey = createLock();

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** The HMAC key of this browser session's intents; created on first use when `create`. */
function intentKey(create: boolean): Promise<CryptoKey | null> {
  return withKey(async () => {
    let raw = await intentKeyItem.getValue();
    if (!raw) {
      if (!create) return null;
      raw = toBase64(crypto.getRandomValues(new Uint8Array(32)));
      await intentKeyItem.setValue(raw);
    }
    const bytes = Uint8Array.from(atob(raw), (c) => c.charCodeAt(0));
    return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  });
}

type Signed = Pick<PaymentIntent, 'requestId' | 'idempotencyKey' | 'body' | 'accountId' | 'createdAt'>;

async function macOf(key: CryptoKey, i: Signed): Promise<string> {
  const b = i.body;
  const canonical = JSON.stringify([
    i.requestId,
    i.idempotencyKey,
    i.accountId,
    i.createdAt,
    [b.recipientHandle, b.amountCents, b.currency, b.mode, b.message ?? null, b.replyToTweetId ?? null],
    Object.keys(b).sort(),
  ]);
  const sig = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(canonical));
  return toBase64(new Uint8Array(sig));
}

/**
 * True when `intent` was saved by this extension in this browser session: its tag matches. A forged intent (written
 * by a content script into storage.local) or one from a previous browser session (the key lived in
 * storage.session) fails.
 */
export async function isAuthentic(intent: PaymentIntent): Promise<boolean> {
  const key = await intentKey(false);
  if (!key || typeof intent.mac !== 'string' || !intent.body || typeof intent.body !== 'object') return false;
  return (await macOf(key, intent)) === intent.mac;
}

export async function getIntent(requestId: string): Promise<PaymentIntent | null> {
  return (await intentsItem.getValue())[requestId] ?? null;
}

function update(
  requestId: string,
  patch: Partial<PaymentIntent>,
  now: number,
): Promise<PaymentIntent | null> {
  return withIntents(async () => {
    const all = { ...(await intentsItem.getValue()) };
    const current = all[requestId];
    if (!current) return null;
    const next = { ...current, ...patch, updatedAt: now };
    all[requestId] = next;
    await intentsItem.setValue(all);
    return next;
  });
}

/** Saves a new intent (state `sending`, fresh Idempotency-Key) for a request, replacing a finished one. */
export function saveNewIntent(
  input: { requestId: string; body: CreatePaymentBody; accountId: string; tabId: number | null },
  now = Date.now(),
): Promise<PaymentIntent> {
  return withIntents(async () => {
    const all = { ...(await intentsItem.getValue()) };
    const existing = all[input.requestId];
    if (existing?.state === 'sending') throw new Error('an unfinished intent exists for this request');
    const signed: Signed = {
      requestId: input.requestId,
      idempotencyKey: crypto.randomUUID(),
      body: input.body,
      accountId: input.accountId,
      createdAt: now,
    };
    const key = await intentKey(true);
    if (!key) throw new Error('no intent key');
    const intent: PaymentIntent = {
      ...signed,
      tabId: input.tabId,
      state: 'sending',
      paymentId: null,
      code: null,
      attempts: 0,
      updatedAt: now,
      mac: await macOf(key, signed),
    };
    all[input.requestId] = intent;
    await intentsItem.setValue(all);
    return intent;
  });
}

/** Failures after which the server certainly did not create the payment: the intent is final. */
function isFinalRefusal(res: Extract<ApiResult<Payment>, { ok: false }>): boolean {
  if (res.code === 'network' || res.code === 'signed_out' || res.code === 'idempotency_in_flight')
    return false;
  if (res.code === 'rate_limited' || res.code === 'unauthorized') return false;
  return res.status !== null && res.status >= 400 && res.status < 500;
}

/**
 * Sends (or re-sends) an intent with its own key and records the outcome: `sent` with the payment id, `rejected`
 * with the code on a definitive refusal, unchanged (`sending`) when the outcome is unknown (network, signed out).
 */
export async function sendIntent(
  client: WalletClient,
  intent: PaymentIntent,
  now = Date.now,
): Promise<ApiResult<Payment>> {
  if (!(await isAuthentic(intent))) {
    // Never sent: not approved in this extension's confirm window (forged), or from a past browser session.
    await update(intent.requestId, { state: 'abandoned', code: 'unauthenticated' }, now());
    return { ok: false, code: 'forbidden', status: null };
  }
  inFlight.add(intent.requestId);
  try {
    await update(intent.requestId, { attempts: intent.attempts + 1 }, now());
    const res = await client.createPayment(intent.body, intent.idempotencyKey);
    if (res.ok) await update(intent.requestId, { state: 'sent', paymentId: res.value.id, code: null }, now());
    else if (isFinalRefusal(res))
      await update(intent.requestId, { state: 'rejected', code: res.code }, now());
    return res;
  } finally {
    inFlight.delete(intent.requestId);
  }
}

/**
 * Re-sends every unfinished intent of the signed-in account with its own key; abandons those too old to replay
 * safely; forgets finished ones after a week. One reconciliation runs at a time.
 */
export const reconcileIntents: (client: WalletClient, now?: () => number) => Promise<number> = (() => {
  let args: [WalletClient, () => number] | null = null;
  const run = singleFlight(async () => {
    if (!args) return 0;
    const [client, now] = args;
    const accountId = await client.accountId();
    let resent = 0;
    const all = await intentsItem.getValue();
    for (const intent of Object.values(all)) {
      const age = now() - intent.createdAt;
      if (intent.state !== 'sending') {
        if (now() - intent.updatedAt > INTENT_KEEP_MS) {
          await withIntents(async () => {
            const fresh = { ...(await intentsItem.getValue()) };
            delete fresh[intent.requestId];
            await intentsItem.setValue(fresh);
          });
        }
        continue;
      }
      if (age > INTENT_MAX_AGE_MS) {
        await update(intent.requestId, { state: 'abandoned' }, now());
        continue;
      }
      if (!accountId || intent.accountId !== accountId || inFlight.has(intent.requestId)) continue;
      resent++;
      await sendIntent(client, intent, now);
    }
    return resent;
  });
  return (client: WalletClient, now: () => number = Date.now) => {
    args = [client, now];
    return run();
  };
})();

/** True when some intent of any account is still unfinished (cheap check before a reconciliation). */
export async function hasUnfinishedIntents(): Promise<boolean> {
  return Object.values(await intentsItem.getValue()).some((i) => i.state === 'sending');
}
