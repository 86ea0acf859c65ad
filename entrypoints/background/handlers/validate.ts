/**
 * Payload checks shared by the page handlers: every message's `data` is untrusted until checked here, and a bad
 * payload gets `invalid_request`, never a throw.
 */

export type Plain = Record<string, unknown>;

/** `data` as a plain object whose keys are all in `allowed`, or null. */
export function plainObject(data: unknown, allowed: readonly string[]): Plain | null {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
  if (Object.getPrototypeOf(data) !== Object.prototype && Object.getPrototypeOf(data) !== null) return null;
  const d = data as Plain;
  return Object.keys(d).every((k) => allowed.includes(k)) ? d : null;
}

/** True for `{}` (messages without arguments). */
export function isEmpty(data: unknown): boolean {
  return plainObject(data, []) !== null;
}

/** Ids we mint (UUIDs) and the wallet's payment ids: short, URL-safe. */
const ID_RE = /^[A-Za-z0-9_-]{1,100}$/;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_RE.test(value);
}

export const INVALID = { ok: false, code: 'invalid_request' } as const;
