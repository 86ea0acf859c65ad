/**
 * The ONE typed message protocol of the extension (DESIGN.md "Trust boundaries").
 *
 * Sections:
 * - `ContentToBackground`: what an x.com content script may send. Keep it tiny: the page is untrusted.
 * - `BackgroundToContent`: what the background sends to a content script in an X tab.
 * - `PageToBackground`: privileged messages, accepted only from extension pages (popup, confirm, options).
 *
 * Every message is `{ type, data }`; every answer is a typed result — expected failures are `{ ok: false, code }`,
 * never thrown strings. Nothing in the content-script sections may carry tokens, balances or wallet data.
 */
import { browser } from 'wxt/browser';

/** A handle as X allows it: 1–15 of A–Z, a–z, 0–9 and `_`. */
export const HANDLE_RE = /^[A-Za-z0-9_]{1,15}$/;
/** A post id: decimal digits only (snowflake). */
export const TWEET_ID_RE = /^[0-9]{1,25}$/;

export type Result<T, C extends string = string> =
  ({ ok: true } & T) | { ok: false; code: C; message?: string };

export type PaySource = 'tweet' | 'profile' | 'popup';

export interface RequestPaymentData {
  recipientHandle: string;
  tweetId?: string;
  source: PaySource;
}

export type RequestPaymentCode = 'invalid_request' | 'forbidden' | 'throttled';

export interface FillComposerData {
  text: string;
  replyToTweetId?: string;
}

export type FillMethod = 'paste' | 'execCommand' | 'intent';
export type FillComposerCode = 'no_composer' | 'verify_failed' | 'invalid_request';

export interface ContentToBackground {
  /** The in-page Pay button asks for a payment; the background opens the trusted confirm window. */
  requestPayment(data: RequestPaymentData): Result<{ requestId: string }, RequestPaymentCode>;
}

export interface BackgroundToContent {
  /** Open the right composer in this X tab and fill it with `text`; never submits. */
  fillComposer(data: FillComposerData): Result<{ method: FillMethod }, FillComposerCode>;
}

/** Privileged protocol for extension pages; extended by the extension-core work. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the extension core
export interface PageToBackground {}

export type ProtocolMap = ContentToBackground & BackgroundToContent & PageToBackground;
export type MessageType = keyof ProtocolMap;
export type MessageData<K extends MessageType> = Parameters<ProtocolMap[K]>[0];
export type MessageReply<K extends MessageType> = ReturnType<ProtocolMap[K]>;
export interface Message<K extends MessageType = MessageType> {
  type: K;
  data: MessageData<K>;
}

/** Send a message to the background (from a content script or an extension page). */
export async function sendMessage<K extends keyof ContentToBackground | keyof PageToBackground>(
  type: K,
  data: MessageData<K>,
): Promise<MessageReply<K>> {
  return (await browser.runtime.sendMessage({ type, data })) as MessageReply<K>;
}

/** Send a message from the background to the content script in the top frame of `tabId`. */
export async function sendToTab<K extends keyof BackgroundToContent>(
  tabId: number,
  type: K,
  data: MessageData<K>,
): Promise<MessageReply<K>> {
  return (await browser.tabs.sendMessage(tabId, { type, data }, { frameId: 0 })) as MessageReply<K>;
}
