import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { requestsItem, confirmWindowItem } from '../../utils/storage';
import type { MessageSender } from './sender-guards';
import { composerChanged } from './handlers/composer';
import { requestPayment } from './handlers/request-payment';
import { createRouter } from './router';

const ID = 'test-extension-id';
const BASE = `chrome-extension://${ID}/`;
const xTab = (tabId: number): MessageSender => ({
  id: ID,
  url: 'https://x.com/bob',
  frameId: 0,
  tab: { id: tabId } as MessageSender['tab'],
});
const popup: MessageSender = { id: ID, url: `${BASE}popup.html` };

describe('background router', () => {
  beforeEach(() => fakeBrowser.reset());

  const getSession = vi.fn(async () => ({ ok: true as const, signedIn: false, me: null }));
  const route = createRouter(
    { content: { requestPayment, composerChanged }, page: { getSession } },
    { runtimeId: ID, extensionBase: BASE },
  );

  it('should refuse unknown types and malformed messages', async () => {
    expect(await route({ type: 'approveEverything', data: {} }, popup)).toMatchObject({
      ok: false,
      code: 'invalid_request',
    });
    expect(await route('requestPayment', popup)).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(await route({ type: 'toString' }, popup)).toMatchObject({ ok: false, code: 'invalid_request' });
  });

  it('should refuse privileged messages from a content script and requestPayment from a page', async () => {
    expect(await route({ type: 'getSession', data: {} }, xTab(1))).toEqual({ ok: false, code: 'forbidden' });
    expect(getSession).not.toHaveBeenCalled();
    expect(
      await route({ type: 'requestPayment', data: { recipientHandle: 'bob', source: 'profile' } }, popup),
    ).toEqual({ ok: false, code: 'forbidden' });
    expect(await route({ type: 'getSession', data: {} }, popup)).toMatchObject({ ok: true });
  });

  it('should answer internal when a handler throws', async () => {
    const broken = createRouter(
      {
        content: { requestPayment, composerChanged },
        page: {
          getSession: async () => {
            throw new Error('boom');
          },
        },
      },
      { runtimeId: ID, extensionBase: BASE },
    );
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await broken({ type: 'getSession', data: {} }, popup)).toEqual({ ok: false, code: 'internal' });
  });

  it('should store the request with its tab and open the confirm window', async () => {
    const create = vi.spyOn(fakeBrowser.windows, 'create');
    const reply = await route(
      { type: 'requestPayment', data: { recipientHandle: 'bob', tweetId: '42', source: 'tweet' } },
      xTab(5),
    );
    expect(reply).toMatchObject({ ok: true, requestId: expect.any(String) });
    const { requestId } = reply as { requestId: string };
    expect((await requestsItem.getValue())[requestId]).toMatchObject({
      recipientHandle: 'bob',
      tweetId: '42',
      tabId: 5,
    });
    expect(create).toHaveBeenCalledWith(
      expect.objectContaining({ url: `${BASE}confirm.html?request=${requestId}` }),
    );
    expect((await confirmWindowItem.getValue())?.requestId).toBe(requestId);
  });

  it('should refuse a bad payload, a popup source from a tab, and a burst from one tab', async () => {
    expect(
      await route({ type: 'requestPayment', data: { recipientHandle: '<b>', source: 'profile' } }, xTab(6)),
    ).toEqual({
      ok: false,
      code: 'invalid_request',
    });
    expect(
      await route({ type: 'requestPayment', data: { recipientHandle: 'bob', source: 'popup' } }, xTab(6)),
    ).toEqual({
      ok: false,
      code: 'invalid_request',
    });
    const data = { recipientHandle: 'carol', source: 'profile' };
    expect(await route({ type: 'requestPayment', data }, xTab(8))).toMatchObject({ ok: true });
    expect(await route({ type: 'requestPayment', data }, xTab(8))).toEqual({ ok: false, code: 'throttled' });
  });
});
