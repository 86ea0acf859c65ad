/**
 * Payment intents: a payment the user approved is saved (with its Idempotency-Key, state `sending`) BEFORE its
 * request leaves, and every (re-)send uses that same key — the server replays instead of paying twice. On wake
 * (startup, install, alarms, the next message) {@link reconcileIntents} re-sends unfinished intents, so a payment
 * is never lost and never doubled even if the worker is killed mid-request.
 */
import { intentsItem, type PaymentIntent } from '../storage';
import { createLock, singleFlight } from '../serial';
import type { ApiResult, WalletClient } from './client';
import type { CreatePaymentBody, Payment } from './types';

/** The server keeps keys ≥ 24 h; past this age an unsent intent is abandoned rather than risk a second payment. */
export const INTENT_MAX_AGE_MS = 20 * 3_600_000;
/** Finished intents are forgotten after this. */
export const INTENT_KEEP_MS = 7 * 24 * 3_600_000;

export const withIntents = createLock();
/** Intents being sent right now by this worker (reconciliation leaves them alone). */
const inFlight = new Set<string>();

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
    const intent: PaymentIntent = {
      ...input,
      idempotencyKey: crypto.randomUUID(),
      state: 'sending',
      paymentId: null,
      code: null,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
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
