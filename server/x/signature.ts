/**
 * X Account Activity API webhook security (SECURITY.md "Webhook"): the CRC answer and the
 * `x-twitter-webhooks-signature` check, both HMAC-SHA256 with the app's consumer secret, base64.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=` + base64(HMAC-SHA256(secret, payload)). */
export function xSignature(secret: string, payload: string | Uint8Array): string {
  return 'sha256=' + createHmac('sha256', secret).update(payload).digest('base64');
}

/**
 * Whether `header` is the signature of `rawBody`. Fails closed: no secret, no header or a header of
 * another length is `false`; equal lengths are compared in constant time.
 */
export function verifyXSignature(
  secret: string | undefined,
  header: string | undefined,
  rawBody: Uint8Array,
): boolean {
  if (!secret || !header) return false;
  const want = Buffer.from(xSignature(secret, rawBody), 'utf8');
  const got = Buffer.from(header, 'utf8');
  return got.length === want.length && timingSafeEqual(got, want);
}
