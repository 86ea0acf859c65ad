/**
 * The ONE typed message protocol of the extension (docs/ARCHITECTURE.md "Trust boundaries").
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
import type { PageHealthReport } from './x/health';
import type { ErrorCode, Me, Payment, PaymentMode, Recipient, WalletConfig } from '../core/wallet-types';

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
  /**
   * The page's health check (utils/x/health.ts): counts only. When the page shows posts or a profile and no Pay
   * button could be placed, the background says so on the toolbar badge of that tab and in the popup.
   */
  reportPageHealth(data: PageHealthReport): Result<object, 'invalid_request' | 'forbidden'>;
  /**
   * The composer this tab's content script filled no longer holds the payment tweet (`changed: true`: the page
   * or the user rewrote it), or it does again / is gone (`false`). The popup warns while one is changed.
   */
  composerChanged(data: { changed: boolean }): Result<object, 'invalid_request' | 'forbidden'>;
}

export interface BackgroundToContent {
  /** Open the right composer in this X tab and fill it with `text`; never submits. */
  fillComposer(data: FillComposerData): Result<{ method: FillMethod }, FillComposerCode>;
  /**
   * Which page this X tab shows (`location.href`), for the popup's "Pay @handle": without the `tabs` permission
   * the background cannot read an X tab's URL. The background parses it (a hint, like a Pay click).
   */
  getPageUrl(data: Record<string, never>): Result<{ url: string }, 'invalid_request'>;
}

/** Failure codes a page can get: the wallet API's codes plus the extension's own. */
export type PageErrorCode = ErrorCode | 'network' | 'signed_out' | 'request_expired' | 'no_target';

/** A pending Pay request, as the confirm window sees it. */
export interface PaymentRequestView {
  requestId: string;
  recipientHandle: string;
  tweetId: string | null;
  source: PaySource;
  /** The X tab the request came from (where the composer is filled), if any. */
  tabId: number | null;
  createdAt: string;
}

/** What the confirm window needs to render. */
export interface ConfirmContext {
  request: PaymentRequestView;
  recipient: Recipient;
  config: WalletConfig;
  me: Me;
}

/** Where the composer fill ended (tweet mode only). */
export type FillOutcome = { ok: true; method: FillMethod } | { ok: false; code: FillComposerCode | 'no_tab' };

/** What the popup shows. */
export interface WalletSummary {
  me: Me;
  /** Hand-typed payment tweets waiting for this user's confirmation. */
  pending: Payment[];
  /** Ids of those in `pending` awaiting confirmation whose tweet the extension did not write. */
  notWrittenByUs: string[];
  /** A payment tweet the extension filled in an X tab was changed there before it was posted. */
  composerChanged: boolean;
  /** The 20 latest payments, newest first. */
  recent: Payment[];
}

/** The X profile or post in the active tab, for the popup's "Pay @handle" button. */
export interface TabTarget {
  recipientHandle: string;
  tweetId: string | null;
}

/**
 * Privileged protocol: accepted only from the extension's own pages (sender URL checked in the background).
 */
export interface PageToBackground {
  getSession(data: Record<string, never>): Result<{ signedIn: boolean; me: Me | null }, PageErrorCode>;
  signIn(data: { email: string; password: string }): Result<{ me: Me }, PageErrorCode>;
  signOut(data: Record<string, never>): Result<object, PageErrorCode>;
  getSummary(data: Record<string, never>): Result<WalletSummary, PageErrorCode>;
  getConfirmContext(data: { requestId: string }): Result<ConfirmContext, PageErrorCode>;
  createPayment(data: {
    requestId: string;
    amountCents: number;
    message?: string;
    mode: PaymentMode;
  }): Result<{ payment: Payment; fill: FillOutcome | null }, PageErrorCode>;
  /** The user closed or canceled the confirm window. */
  cancelRequest(data: { requestId: string }): Result<object, PageErrorCode>;
  confirmPayment(data: { paymentId: string }): Result<{ payment: Payment }, PageErrorCode>;
  cancelPayment(data: { paymentId: string }): Result<{ payment: Payment }, PageErrorCode>;
  getActiveTabTarget(data: Record<string, never>): Result<{ target: TabTarget | null }, PageErrorCode>;
  /**
   * "Link your X account": asks the wallet for X's consent address and opens it in a new tab; X sends the
   * user back to the wallet, which links the account (pages then see `me.xHandle` in `getSession`).
   */
  startXLink(data: Record<string, never>): Result<object, PageErrorCode>;
  /** Whether the X page in the active tab shows posts or a profile but no Pay button could be placed there. */
  getTabHealth(data: Record<string, never>): Result<{ paused: boolean }, PageErrorCode>;
  /** The popup's "Pay @handle": opens the confirm window for the profile or post in the active tab. */
  payActiveTab(data: Record<string, never>): Result<{ requestId: string }, PageErrorCode>;
}

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
