import { describe, expect, it } from 'vitest';
import { isFromExtensionPage, isFromXContentScript, type MessageSender } from './sender-guards';

const ID = 'ext-id';
const BASE = 'chrome-extension://ext-id/';

function cs(over: Partial<MessageSender> = {}): MessageSender {
  return {
    id: ID,
    url: 'https://x.com/alice/status/123',
    frameId: 0,
    tab: { id: 7, url: 'https://x.com/alice/status/123' } as MessageSender['tab'],
    ...over,
  };
}

describe('isFromXContentScript', () => {
  it('should accept our content script in the top frame of every X origin', () => {
    for (const origin of [
      'https://x.com',
      'https://twitter.com',
      'https://mobile.x.com',
      'https://mobile.twitter.com',
    ]) {
      expect(
        isFromXContentScript(cs({ url: `${origin}/bob`, tab: { id: 1 } as MessageSender['tab'] }), ID),
      ).toBe(true);
    }
  });

  it('should refuse another extension, a sub-frame, a missing tab or another origin', () => {
    expect(isFromXContentScript(cs({ id: 'other' }), ID)).toBe(false);
    expect(isFromXContentScript(cs({ frameId: 3 }), ID)).toBe(false);
    expect(isFromXContentScript(cs({ tab: undefined }), ID)).toBe(false);
    expect(isFromXContentScript(cs({ url: 'https://evil.example/x.com' }), ID)).toBe(false);
    expect(isFromXContentScript(cs({ url: 'https://x.com.evil.example/' }), ID)).toBe(false);
    expect(isFromXContentScript(cs({ url: 'http://x.com/alice' }), ID)).toBe(false);
    expect(isFromXContentScript(cs({ url: undefined }), ID)).toBe(false);
  });

  it('should refuse when the tab or the reported origin disagree with the frame URL', () => {
    expect(
      isFromXContentScript(cs({ tab: { id: 7, url: 'https://evil.example/' } as MessageSender['tab'] }), ID),
    ).toBe(false);
    expect(isFromXContentScript(cs({ origin: 'https://evil.example' }), ID)).toBe(false);
  });

  it('should refuse an extension page', () => {
    expect(isFromXContentScript({ id: ID, url: `${BASE}popup.html` }, ID)).toBe(false);
  });
});

describe('isFromExtensionPage', () => {
  it('should accept the popup (no tab) and confirm/options pages in their own tab', () => {
    expect(isFromExtensionPage({ id: ID, url: `${BASE}popup.html` }, ID, BASE)).toBe(true);
    const tab = { id: 4, url: `${BASE}confirm.html?request=abc` } as MessageSender['tab'];
    expect(
      isFromExtensionPage({ id: ID, url: `${BASE}confirm.html?request=abc`, tab, frameId: 0 }, ID, BASE),
    ).toBe(true);
  });

  it('should refuse content scripts, other extensions and our page framed inside a web page', () => {
    expect(isFromExtensionPage(cs(), ID, BASE)).toBe(false);
    expect(isFromExtensionPage({ id: 'other', url: `${BASE}popup.html` }, ID, BASE)).toBe(false);
    expect(isFromExtensionPage({ id: ID, url: 'chrome-extension://other/popup.html' }, ID, BASE)).toBe(false);
    const framed = { id: 9, url: 'https://x.com/home' } as MessageSender['tab'];
    expect(
      isFromExtensionPage({ id: ID, url: `${BASE}confirm.html`, tab: framed, frameId: 2 }, ID, BASE),
    ).toBe(false);
  });
});
