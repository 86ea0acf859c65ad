import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  addPendingRequest,
  getPendingRequest,
  parseRequestPaymentData,
  removePendingRequest,
  REQUEST_TTL_MS,
  RequestThrottle,
} from './payment-requests';

describe('parseRequestPaymentData', () => {
  it('should accept a profile or tweet request and return a clean copy', () => {
    expect(parseRequestPaymentData({ recipientHandle: 'bob_42', source: 'profile' })).toEqual({
      recipientHandle: 'bob_42',
      source: 'profile',
    });
    expect(
      parseRequestPaymentData({ recipientHandle: 'Bob', tweetId: '1790000000000000001', source: 'tweet' }),
    ).toEqual({ recipientHandle: 'Bob', tweetId: '1790000000000000001', source: 'tweet' });
  });

  it('should refuse bad handles, ids, sources and extra fields', () => {
    const bad: unknown[] = [
      null,
      'bob',
      [],
      { recipientHandle: 'bob', source: 'profile', amountCents: 5000 },
      { recipientHandle: 'bob-smith', source: 'profile' },
      { recipientHandle: 'a_very_long_handle_x', source: 'profile' },
      { recipientHandle: '', source: 'profile' },
      { recipientHandle: 'bob', tweetId: '12a', source: 'tweet' },
      { recipientHandle: 'bob', tweetId: 12, source: 'tweet' },
      { recipientHandle: 'bob', source: 'tweet' },
      { recipientHandle: 'bob', source: 'page' },
      { recipientHandle: 'bob' },
    ];
    for (const data of bad) expect(parseRequestPaymentData(data)).toBeNull();
  });
});

describe('RequestThrottle', () => {
  it('should allow one request per second per tab', () => {
    const t = new RequestThrottle();
    expect(t.allow(1, 0)).toBe(true);
    expect(t.allow(1, 500)).toBe(false);
    expect(t.allow(2, 500)).toBe(true);
    expect(t.allow(1, 1_000)).toBe(true);
  });

  it('should cap requests per tab per minute and in all', () => {
    const t = new RequestThrottle(1_000, 3, 5);
    expect([0, 1_000, 2_000, 3_000].map((at) => t.allow(1, at))).toEqual([true, true, true, false]);
    expect(t.allow(1, 61_000)).toBe(true);
    // still in the minute: 2 000 and 61 000 → 3 more tabs reach the global cap of 5, the 4th is refused
    expect([2, 3, 4, 5].map((tab) => t.allow(tab, 61_000))).toEqual([true, true, true, false]);
  });
});

describe('pending requests', () => {
  beforeEach(() => fakeBrowser.reset());

  it('should keep one pending request: a new one replaces the previous', async () => {
    const a = await addPendingRequest({ recipientHandle: 'alice', source: 'profile' }, 3, 1_000);
    expect(a.replaced).toBeNull();
    const b = await addPendingRequest({ recipientHandle: 'bob', tweetId: '5', source: 'tweet' }, 3, 2_000);
    expect(b.replaced).toBe(a.request.id);
    expect(await getPendingRequest(a.request.id, 2_000)).toBeNull();
    expect(await getPendingRequest(b.request.id, 2_000)).toMatchObject({
      recipientHandle: 'bob',
      tweetId: '5',
      tabId: 3,
    });
  });

  it('should reuse an identical request from the same tab', async () => {
    const a = await addPendingRequest({ recipientHandle: 'alice', source: 'profile' }, 3, 1_000);
    const b = await addPendingRequest({ recipientHandle: 'ALICE', source: 'profile' }, 3, 5_000);
    expect(b.request.id).toBe(a.request.id);
  });

  it('should expire and remove requests', async () => {
    const { request } = await addPendingRequest({ recipientHandle: 'alice', source: 'profile' }, null, 0);
    expect(await getPendingRequest(request.id, REQUEST_TTL_MS)).toBeNull();
    const again = await addPendingRequest({ recipientHandle: 'carol', source: 'profile' }, null, 0);
    await removePendingRequest(again.request.id);
    expect(await getPendingRequest(again.request.id, 0)).toBeNull();
  });
});
