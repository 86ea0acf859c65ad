/**
 * Every stored item of the extension, declared once (SECURITY.md "Secrets stay in trusted contexts").
 *
 * - `session:` (memory only, cleared when the browser closes, never exposed to content scripts): the wallet
 *   tokens, the pending Pay requests and the confirm window. {@link restrictSessionStorage} locks the area to
 *   trusted contexts where the browser supports it.
 * - `local:` (persists): settings, payment intents (Idempotency-Keys, no secrets) and the last seen status of each
 *   payment (for notifications). Nothing secret lives in `local:`: content scripts could read it.
 *
 * Only the background and the extension pages import this module (ESLint forbids it in the content script).
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { CreatePaymentBody, PaymentStatus } from '../core/wallet-types';
import type { PaySource } from './messaging';
import type { LanguageSetting } from '../core/lang';

/** Access + refresh tokens of the signed-in wallet session. SECRET: never sent to tabs, never logged. */
export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms after which the access token is expired (from `expiresIn`). */
  accessExpiresAt: number;
  /** The wallet account these tokens belong to (not secret; binds intents to their account). */
  accountId: string | null;
  /** The wallet server that issued them: they are never sent anywhere else (a changed URL means signed out). */
  walletUrl: string;
}

export const tokensItem = storage.defineItem<StoredTokens | null>('session:tokens', { fallback: null });

/**
 * Restrict `storage.session` to trusted contexts (extension pages and the background), where the browser has
 * `setAccessLevel` (Chrome 102+). Firefox lacks it, and there `storage.session` is not exposed to content scripts.
 */
export async function restrictSessionStorage(): Promise<void> {
  const session = browser.storage.session as {
    setAccessLevel?: (o: { accessLevel: string }) => Promise<void>;
  };
  if (typeof session.setAccessLevel === 'function') {
    await session.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Settings

export type Language = LanguageSetting;

export interface Settings {
  /** Wallet server base URL, `http(s)://host[:port]` without a trailing slash. */
  walletUrl: string;
  language: Language;
  defaultMode: 'tweet' | 'private';
  /** Amount presets of the confirm window, integer cents, 1 to 6 of them. */
  presets: number[];
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  walletUrl: 'http://127.0.0.1:8787',
  language: 'auto',
  defaultMode: 'tweet',
  presets: [200, 500, 1000, 2000],
});

/** Amount presets: 1 to 6 of them, each from 1 cent to the limit for a person (250 €). */
export const MIN_PRESET_CENTS = 1;
export const MAX_PRESET_CENTS = 25_000;
export const MAX_PRESETS = 6;

/** Stored as written; always read through {@link getSettings} (validated, bad values replaced by defaults). */
export const settingsItem = storage.defineItem<Partial<Settings> | null>('local:settings', {
  fallback: null,
});

/**
 * This computer: the only hosts a wallet may be reached at over plain http (they are the manifest's own host
 * permissions; any other wallet is https and asks for its host at run time).
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * The wallet URL normalized (origin + path, no trailing slash), or null when it is not one: https, or http on
 * this computer only (a password and bearer tokens never cross a network in clear), without credentials,
 * query or fragment.
 */
export function normalizeWalletUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)))
    return null;
  if (!url.hostname || url.username || url.password || url.search || url.hash) return null;
  const path = url.pathname.replace(/\/+$/, '');
  return url.origin + path;
}

function validPresets(value: unknown): number[] | null {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_PRESETS) return null;
  const inRange = (v: unknown) =>
    Number.isSafeInteger(v) && (v as number) >= MIN_PRESET_CENTS && (v as number) <= MAX_PRESET_CENTS;
  if (!value.every(inRange)) return null;
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

/** Validates settings field by field: every invalid or missing field gets its default. */
export function sanitizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    walletUrl: normalizeWalletUrl(r.walletUrl) ?? DEFAULT_SETTINGS.walletUrl,
    language: r.language === 'fr' || r.language === 'en' || r.language === 'auto' ? r.language : 'auto',
    defaultMode: r.defaultMode === 'private' || r.defaultMode === 'tweet' ? r.defaultMode : 'tweet',
    presets: validPresets(r.presets) ?? [...DEFAULT_SETTINGS.presets],
  };
}

export type SettingsError = 'invalid_wallet_url' | 'invalid_language' | 'invalid_mode' | 'invalid_presets';

/** Checks a settings change strictly (unlike reading, writing refuses bad values with the field's error). */
export function validateSettingsPatch(
  patch: Partial<Settings>,
): { ok: true; value: Partial<Settings> } | { ok: false; code: SettingsError } {
  const out: Partial<Settings> = {};
  if (patch.walletUrl !== undefined) {
    const url = normalizeWalletUrl(patch.walletUrl);
    if (!url) return { ok: false, code: 'invalid_wallet_url' };
    out.walletUrl = url;
  }
  if (patch.language !== undefined) {
    if (!['auto', 'fr', 'en'].includes(patch.language)) return { ok: false, code: 'invalid_language' };
    out.language = patch.language;
  }
  if (patch.defaultMode !== undefined) {
    if (!['tweet', 'private'].includes(patch.defaultMode)) return { ok: false, code: 'invalid_mode' };
    out.defaultMode = patch.defaultMode;
  }
  if (patch.presets !== undefined) {
    const presets = validPresets(patch.presets);
    if (!presets) return { ok: false, code: 'invalid_presets' };
    out.presets = presets;
  }
  return { ok: true, value: out };
}

/** The current settings, validated (bad stored values are replaced by defaults). */
export async function getSettings(): Promise<Settings> {
  return sanitizeSettings(await settingsItem.getValue());
}

/** Validates and saves a settings change. */
export async function saveSettings(
  patch: Partial<Settings>,
): Promise<{ ok: true; settings: Settings } | { ok: false; code: SettingsError }> {
  const checked = validateSettingsPatch(patch);
  if (!checked.ok) return checked;
  const settings = { ...(await getSettings()), ...checked.value };
  await settingsItem.setValue(settings);
  return { ok: true, settings };
}

// ---------------------------------------------------------------------------------------------------------------
// Pending Pay requests and the confirm window (session: they die with the browser session)

/** A Pay request waiting for the user in the confirm window. */
export interface PendingRequest {
  id: string;
  recipientHandle: string;
  tweetId: string | null;
  source: PaySource;
  /** The X tab the request came from (where the composer is filled), if any. */
  tabId: number | null;
  /** Epoch ms. */
  createdAt: number;
}

export const requestsItem = storage.defineItem<Record<string, PendingRequest>>('session:requests', {
  fallback: {},
});

/**
 * The health check of each X tab's page (utils/x/health.ts): tab id → true when it shows posts or a profile but
 * no Pay button could be placed. Session-only; a closed tab is forgotten.
 */
export const tabHealthItem = storage.defineItem<Record<string, boolean>>('session:tabHealth', {
  fallback: {},
});

/** The open confirm window and the request it shows. */
export interface ConfirmWindowState {
  windowId: number;
  requestId: string;
}

export const confirmWindowItem = storage.defineItem<ConfirmWindowState | null>('session:confirmWindow', {
  fallback: null,
});

// ---------------------------------------------------------------------------------------------------------------
// Payment intents (local: they must survive the worker and the browser; no secrets)

export type IntentState = 'sending' | 'sent' | 'rejected' | 'abandoned';

/**
 * A payment the user approved, saved BEFORE its request is sent. The Idempotency-Key never changes, so a
 * re-send (retry, reconciliation after the worker was killed) can only replay the same payment.
 */
export interface PaymentIntent {
  requestId: string;
  idempotencyKey: string;
  body: CreatePaymentBody;
  /** The wallet account that approved it: an intent is only ever sent with that account's session. */
  accountId: string;
  /** The X tab to fill the composer in (tweet mode). */
  tabId: number | null;
  state: IntentState;
  paymentId: string | null;
  /** Why the server refused it (state `rejected`). */
  code: string | null;
  attempts: number;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
  /**
   * HMAC-SHA256 of what is sent (request id, key, body, account, creation time) under {@link intentKeyItem}.
   * `storage.local` is writable by content scripts: an intent without a valid tag is never sent.
   */
  mac: string;
}

/** The secret that authenticates payment intents (session: out of content scripts' reach). Base64, 32 bytes. */
export const intentKeyItem = storage.defineItem<string | null>('session:intentKey', { fallback: null });

export const intentsItem = storage.defineItem<Record<string, PaymentIntent>>('local:intents', {
  fallback: {},
});

// ---------------------------------------------------------------------------------------------------------------
// Status tracking (local: survives restarts so a notification is never shown twice)

export interface TrackedStatuses {
  /** The account these statuses belong to; another account starts afresh. */
  accountId: string | null;
  /** Last status seen (and notified) per payment id. */
  statuses: Record<string, PaymentStatus>;
}

export const trackedItem = storage.defineItem<TrackedStatuses>('local:tracked', {
  fallback: { accountId: null, statuses: {} },
});

/** Epoch ms until which the fast status poll runs (right after a payment was created). */
export const fastPollUntilItem = storage.defineItem<number>('session:fastPollUntil', { fallback: 0 });

// ---------------------------------------------------------------------------------------------------------------
// Payment tweets the extension wrote (utils/written-tweets.ts)

/** The payment tweet texts the background asked an X tab (or X's web intent) to fill, newest last. */
export const filledTweetsItem = storage.defineItem<string[]>('session:filledTweets', { fallback: [] });

/** Per X tab id: the composer its content script filled no longer holds the payment tweet. */
export const composerChangedItem = storage.defineItem<Record<string, boolean>>('session:composerChanged', {
  fallback: {},
});
