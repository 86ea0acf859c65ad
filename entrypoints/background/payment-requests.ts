/**
 * Pay requests: validation of what the content script (or the popup) asks for, throttling, and the pending
 * requests the confirm window shows (kept in `storage.session`, no secrets).
 */
import { HANDLE_RE, TWEET_ID_RE } from '../../core/x-ids';
import type { PaySource, PaymentRequestView, RequestPaymentData } from '../../utils/messaging';
import { requestsItem, type PendingRequest } from '../../utils/storage';
import { createLock } from '../../utils/serial';

/** A request nobody confirmed within this time is dropped. */
export const REQUEST_TTL_MS = 30 * 60_000;

const SOURCES: readonly PaySource[] = ['tweet', 'profile', 'popup'];

/**
 * Validates a `requestPayment` payload: exactly `recipientHandle` (X handle), optional `tweetId` (digits) and
 * `source`. Returns a clean copy, or null when anything is off (unknown keys included).
 */
export function parseRequestPaymentData(data: unknown): RequestPaymentData | null {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
  const d = data as Record<string, unknown>;
  if (Object.keys(d).some((k) => k !== 'recipientHandle' && k !== 'tweetId' && k !== 'source')) return null;
  if (typeof d.recipientHandle !== 'string' || !HANDLE_RE.test(d.recipientHandle)) return null;
  if (d.tweetId !== undefined && (typeof d.tweetId !== 'string' || !TWEET_ID_RE.test(d.tweetId))) return null;
  if (typeof d.source !== 'string' || !SOURCES.includes(d.source as PaySource)) return null;
  if (d.source === 'tweet' && d.tweetId === undefined) return null;
  return {
    recipientHandle: d.recipientHandle,
    ...(d.tweetId !== undefined && { tweetId: d.tweetId as string }),
    source: d.source as PaySource,
  };
}

/**
 * Rate limit for Pay requests: at most one per `minGapMs` per tab, and `perMinute` per tab and `globalPerMinute`
 * in all over a sliding minute. Lives in the worker's memory (a restart resets it, which is harmless).
 */
export class RequestThrottle {
  private readonly perTab = new Map<number, number[]>();
  private global: number[] = [];

  constructor(
    private readonly minGapMs = 1_000,
    private readonly perMinute = 10,
    private readonly globalPerMinute = 30,
  ) {}

  /** Records the attempt and tells whether it is allowed. */
  allow(tabId: number, now: number): boolean {
    const since = now - 60_000;
    const times = (this.perTab.get(tabId) ?? []).filter((t) => t > since);
    this.global = this.global.filter((t) => t > since);
    const last = times[times.length - 1];
    if (last !== undefined && now - last < this.minGapMs) return false;
    if (times.length >= this.perMinute || this.global.length >= this.globalPerMinute) return false;
    times.push(now);
    this.global.push(now);
    this.perTab.set(tabId, times);
    return true;
  }
}

/** Serializes every change to the pending requests. */
export const withRequests = createLock();

/**
 * Stores a new pending request. Only one request is pending at a time (one confirm window): a new request
 * replaces the previous one, except an identical one (same recipient, post and tab), which is reused.
 * Returns the request and the id of the one it replaced, if any.
 */
export function addPendingRequest(
  data: RequestPaymentData,
  tabId: number | null,
  now = Date.now(),
): Promise<{ request: PendingRequest; replaced: string | null }> {
  return withRequests(async () => {
    const all = await requestsItem.getValue();
    const previous = Object.values(all)[0];
    const tweetId = data.tweetId ?? null;
    if (
      previous &&
      now - previous.createdAt < REQUEST_TTL_MS &&
      previous.recipientHandle.toLowerCase() === data.recipientHandle.toLowerCase() &&
      previous.tweetId === tweetId &&
      previous.tabId === tabId
    ) {
      return { request: previous, replaced: null };
    }
    const request: PendingRequest = {
      id: crypto.randomUUID(),
      recipientHandle: data.recipientHandle,
      tweetId,
      source: data.source,
      tabId,
      createdAt: now,
    };
    await requestsItem.setValue({ [request.id]: request });
    return { request, replaced: previous?.id ?? null };
  });
}

/** The pending request with this id, or null if unknown or expired. */
export async function getPendingRequest(id: string, now = Date.now()): Promise<PendingRequest | null> {
  const request = (await requestsItem.getValue())[id];
  if (!request) return null;
  if (now - request.createdAt >= REQUEST_TTL_MS) {
    await removePendingRequest(id);
    return null;
  }
  return request;
}

/** Drops a pending request (confirmed, canceled or replaced). */
export function removePendingRequest(id: string): Promise<void> {
  return withRequests(async () => {
    const all = { ...(await requestsItem.getValue()) };
    if (!(id in all)) return;
    delete all[id];
    await requestsItem.setValue(all);
  });
}

/** The confirm window's view of a pending request. */
export function toRequestView(request: PendingRequest): PaymentRequestView {
  return {
    requestId: request.id,
    recipientHandle: request.recipientHandle,
    tweetId: request.tweetId,
    source: request.source,
    tabId: request.tabId,
    createdAt: new Date(request.createdAt).toISOString(),
  };
}
