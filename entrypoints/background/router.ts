/**
 * The message router: dispatches `{ type, data }` to one handler per message type, after the sender guard of the
 * message's section (content script in an X tab, or extension page). Unknown types and bad senders get a typed
 * refusal; a handler that throws (a bug) answers `internal` without leaking the error.
 */
import type { ContentToBackground, MessageReply, PageToBackground } from '../../utils/messaging';
import { isFromExtensionPage, isFromXContentScript, type MessageSender } from './sender-guards';

/** A handler gets the raw `data` (it validates it) and the sender (already guarded). */
export type Handler<K extends keyof ContentToBackground | keyof PageToBackground> = (
  data: unknown,
  sender: MessageSender,
) => Promise<MessageReply<K>>;

export interface Routes {
  /** Messages from the content script (untrusted: an X tab). */
  content: { requestPayment: Handler<'requestPayment'> } & {
    [K in Exclude<keyof ContentToBackground, 'requestPayment'>]?: Handler<K>;
  };
  /** Privileged messages from the extension's own pages (filled in as handlers land). */
  page: { [K in keyof PageToBackground]?: Handler<K> };
}

export interface RouterOptions {
  runtimeId: string;
  /** `runtime.getURL('/')`. */
  extensionBase: string;
  /** Called before each accepted message (e.g. to reconcile unfinished payment intents lazily). */
  onAccepted?: () => void;
}

type Refusal = { ok: false; code: 'invalid_request' | 'forbidden' | 'internal' };

function has<T extends object>(map: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** Builds the `runtime.onMessage` listener body: returns the reply promise. */
export function createRouter(routes: Routes, options: RouterOptions) {
  return async (message: unknown, sender: MessageSender): Promise<unknown> => {
    if (!message || typeof message !== 'object' || typeof (message as { type?: unknown }).type !== 'string') {
      return { ok: false, code: 'invalid_request' } satisfies Refusal;
    }
    const { type, data } = message as { type: string; data?: unknown };
    let handler: ((data: unknown, sender: MessageSender) => Promise<unknown>) | undefined;
    if (has(routes.content, type) && routes.content[type]) {
      if (!isFromXContentScript(sender, options.runtimeId))
        return { ok: false, code: 'forbidden' } satisfies Refusal;
      handler = routes.content[type];
    } else if (has(routes.page, type) && routes.page[type]) {
      if (!isFromExtensionPage(sender, options.runtimeId, options.extensionBase)) {
        return { ok: false, code: 'forbidden' } satisfies Refusal;
      }
      handler = routes.page[type];
    } else {
      return { ok: false, code: 'invalid_request', message: 'unknown message type' };
    }
    options.onAccepted?.();
    try {
      return await handler(data, sender);
    } catch (error) {
      // A bug, not an expected failure: log the type and the error name only (never data: it may hold a password).
      console.error(
        `[tweetez-payez] handler "${type}" failed:`,
        error instanceof Error ? error.name : 'error',
      );
      return { ok: false, code: 'internal' } satisfies Refusal;
    }
  };
}
