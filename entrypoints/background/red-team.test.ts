/**
 * Attacks: a hostile X page, a compromised renderer or another extension attacking the background's
 * only door for web content, `requestPayment`. Each attack must end without a stored request and without a
 * confirm window, or (for a click flood) with one window and throttled requests.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { MessageSender } from './sender-guards';
import { confirmWindowItem, requestsItem } from '../../utils/storage';
import { composerChanged } from './handlers/composer';
import { requestPayment } from './handlers/request-payment';
import { createRouter } from './router';

const ID = 'test-extension-id';
const BASE = `chrome-extension://${ID}/`;
let nextTab = 100;
const sender = (over: Partial<MessageSender> = {}): MessageSender => ({
  id: ID,
  url: 'https://x.com/bob/status/42',
  frameId: 0,
  tab: { id: nextTab++, url: 'https://x.com/bob/status/42' } as MessageSender['tab'],
  ...over,
});
const route = createRouter(
  { content: { requestPayment, composerChanged }, page: {} },
  { runtimeId: ID, extensionBase: BASE },
);
const pay = (data: unknown, from: MessageSender = sender()) => route({ type: 'requestPayment', data }, from);

/** Nothing reached the confirm step: no pending request and no window. */
async function expectNothingOpened(create: { mock: { calls: unknown[] } }) {
  expect(await requestsItem.getValue()).toEqual({});
  expect(await confirmWindowItem.getValue()).toBeNull();
  expect(create.mock.calls).toHaveLength(0);
}

// The throttle lives in the worker's memory for the whole file: each test starts two minutes after the last.
let clock = Date.UTC(2026, 0, 1);

describe('red team: requestPayment from a hostile page', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.useFakeTimers({ toFake: ['Date'] });
    clock += 120_000;
    vi.setSystemTime(clock);
  });
  afterEach(() => vi.useRealTimers());

  it('should refuse look-alike handles: fullwidth @, homoglyphs, zero-width, bidi overrides, spaces', async () => {
    const create = vi.spyOn(fakeBrowser.windows, 'create');
    const handles = [
      '＠bob', // fullwidth commercial at (twitter-text reads it as @)
      '@bob',
      'ｂｏｂ', // fullwidth letters
      'bоb', // Cyrillic о
      'bob\u200b', // zero-width space
      '\u200dbob', // zero-width joiner
      '\u202ebob', // right-to-left override
      'bob\u2066', // left-to-right isolate
      'bob\ufeff', // BOM
      ' bob',
      'bob\n',
      'bo b',
      'bob_is_sixteen_c', // 16 characters
      '',
      'bob\u0000',
      'bob%00',
      '<img src=x onerror=alert(1)>',
      "bob' OR '1'='1",
    ];
    for (const recipientHandle of handles) {
      expect(await pay({ recipientHandle, source: 'profile' }), JSON.stringify(recipientHandle)).toEqual({
        ok: false,
        code: 'invalid_request',
      });
    }
    await expectNothingOpened(create);
  });

  it('should refuse smuggled fields, wrong types and prototype tricks in the payload', async () => {
    const create = vi.spyOn(fakeBrowser.windows, 'create');
    const payloads: unknown[] = [
      { recipientHandle: 'bob', source: 'profile', amountCents: 1 }, // the page may not suggest an amount
      { recipientHandle: 'bob', source: 'profile', approved: true },
      { recipientHandle: 'bob', source: 'tweet' }, // a post request without its post
      { recipientHandle: 'bob', source: 'tweet', tweetId: 42 },
      { recipientHandle: 'bob', source: 'tweet', tweetId: '42abc' },
      { recipientHandle: 'bob', source: 'tweet', tweetId: '-1' },
      { recipientHandle: 'bob', source: 'tweet', tweetId: '1'.repeat(26) },
      { recipientHandle: ['bob'], source: 'profile' },
      { recipientHandle: { toString: 'bob' }, source: 'profile' },
      { recipientHandle: 'bob', source: 'Profile' },
      { recipientHandle: 'bob' },
      JSON.parse('{"recipientHandle":"bob","source":"profile","__proto__":{"tweetId":"1"}}'),
      JSON.parse('{"recipientHandle":"bob","source":"profile","constructor":{"prototype":{"x":1}}}'),
      ['bob', 'profile'],
      'bob',
      null,
      undefined,
      12,
    ];
    for (const data of payloads) {
      expect(await pay(data), JSON.stringify(data)).toEqual({ ok: false, code: 'invalid_request' });
    }
    for (const type of ['__proto__', 'constructor', 'hasOwnProperty', 'valueOf', 'createPayment', 'signIn']) {
      expect(await route({ type, data: {} }, sender())).toMatchObject({ ok: false });
    }
    expect(({} as Record<string, unknown>).tweetId).toBeUndefined();
    await expectNothingOpened(create);
  });

  it('should refuse senders that only look like our content script on X', async () => {
    const create = vi.spyOn(fakeBrowser.windows, 'create');
    const data = { recipientHandle: 'bob', source: 'profile' };
    const forged: MessageSender[] = [
      sender({ id: 'another-extension-id' }),
      sender({ id: undefined }),
      sender({ url: 'https://x.com.evil.example/bob' }),
      sender({ url: 'https://evil.example/?u=https://x.com/bob' }),
      sender({ url: 'https://x.com@evil.example/bob' }),
      sender({ url: 'http://x.com/bob' }), // not https
      sender({ url: 'https://ads.x.com/bob' }), // not an X origin we run on
      sender({ url: 'data:text/html,x.com' }),
      sender({ url: 'javascript:alert(1)' }),
      sender({ url: undefined }),
      sender({ frameId: 3 }), // an ad iframe
      sender({ frameId: undefined }),
      sender({ tab: undefined }), // not from a tab
      sender({ tab: { id: -1 } as MessageSender['tab'] }),
      sender({ url: `${BASE}popup.html`, tab: undefined }), // a privileged page is not a content script
      sender({ origin: 'https://evil.example' }),
      sender({ tab: { id: nextTab++, url: 'https://evil.example/' } as MessageSender['tab'] }),
    ];
    for (const from of forged) {
      expect(await pay(data, from), JSON.stringify(from)).toEqual({ ok: false, code: 'forbidden' });
    }
    await expectNothingOpened(create);
  });

  it('should throttle a click flood from one tab to one request and one confirm window', async () => {
    const create = vi.spyOn(fakeBrowser.windows, 'create');
    const from = sender();
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        pay({ recipientHandle: `user${i % 7}`, source: 'profile' }, from),
      ),
    );
    const accepted = replies.filter((r) => (r as { ok: boolean }).ok);
    expect(accepted).toHaveLength(1);
    expect(replies.filter((r) => (r as { code?: string }).code === 'throttled')).toHaveLength(199);
    expect(create).toHaveBeenCalledTimes(1);
    expect(Object.keys(await requestsItem.getValue())).toHaveLength(1);
  });

  it('should cap a flood spread over many tabs and keep a single confirm window and pending request', async () => {
    const create = vi.spyOn(fakeBrowser.windows, 'create');
    const replies = [];
    for (let i = 0; i < 80; i++) {
      replies.push(await pay({ recipientHandle: `victim${i}`, source: 'profile' }, sender()));
      vi.setSystemTime((clock += 10));
    }
    const accepted = replies.filter((r) => (r as { ok: boolean }).ok).length;
    expect(accepted).toBeLessThanOrEqual(30);
    expect(accepted).toBeGreaterThan(0);
    expect(create).toHaveBeenCalledTimes(1); // later requests reuse and refocus the same window
    const pending = Object.values(await requestsItem.getValue());
    expect(pending).toHaveLength(1); // only the latest request can be confirmed
    expect((await confirmWindowItem.getValue())?.requestId).toBe(pending[0]?.id);
  });
});
