/**
 * Passwords and sessions.
 *
 * Passwords: scrypt (node:crypto) with a 16-byte per-user salt, parameters stored with the hash.
 *
 * Tokens are opaque random strings; the database keeps only their SHA-256. Why not signed JWTs: every
 * request checks the token row anyway (one indexed lookup), which makes logout and family revocation
 * immediate instead of "at expiry", and there is no signing key to rotate or leak. Access tokens live
 * 15 minutes; refresh tokens 30 days, rotated on every use. The successor pair of a refresh token is
 * derived with HMAC(server secret, old refresh token), so an immediate retry (≤ 10 s, the MV3 worker died
 * before storing the answer) gets the very same pair back without the server storing any token in clear;
 * any other reuse of a spent refresh token revokes its whole family.
 */
import {
  createHash,
  createHmac,
  randomBytes,
  randomUUID,
  scrypt as scryptCb,
  timingSafeEqual,
} from 'node:crypto';
import type { Queryable } from './db';
import type { Deps } from './deps';
import { ApiError } from './errors';

export const ACCESS_TTL_S = 15 * 60;
export const REFRESH_TTL_S = 30 * 24 * 3600;
export const REFRESH_GRACE_MS = 10_000;

function scrypt(password: string, salt: Buffer, N: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, N = 2 ** 15): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, N);
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !n || !salt || !key) return false;
  const want = Buffer.from(key, 'base64');
  const got = await scrypt(password, Buffer.from(salt, 'base64'), Number(n));
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A hash to verify against when the email is unknown, so both cases cost the same time. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(N?: number): Promise<string> {
  dummyHash ??= hashPassword(randomUUID(), N);
  return dummyHash;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');
const newToken = (prefix: string) => prefix + randomBytes(32).toString('base64url');

/** Per-database secret for deriving successor tokens (shared by every process on one database). */
export async function tokenSecret(db: Queryable): Promise<string> {
  await db.query(
    `INSERT INTO settings (key, value) VALUES ('token_secret', $1) ON CONFLICT (key) DO NOTHING`,
    [randomBytes(32).toString('base64url')],
  );
  const [row] = await db.query<{ value: string }>(`SELECT value FROM settings WHERE key = 'token_secret'`);
  if (!row) throw new Error('token secret missing');
  return row.value;
}

export interface Pair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

async function storePair(
  tx: Queryable,
  familyId: string,
  access: string,
  refresh: string,
  now: Date,
): Promise<Pair> {
  await tx.query(`INSERT INTO access_tokens (token_hash, family_id, expires_at) VALUES ($1, $2, $3)`, [
    sha256(access),
    familyId,
    new Date(now.getTime() + ACCESS_TTL_S * 1000),
  ]);
  await tx.query(
    `INSERT INTO refresh_tokens (token_hash, family_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
    [sha256(refresh), familyId, now, new Date(now.getTime() + REFRESH_TTL_S * 1000)],
  );
  return { accessToken: access, refreshToken: refresh, tokenType: 'Bearer', expiresIn: ACCESS_TTL_S };
}

/** Starts a new token family (a login). */
export async function startSession(tx: Queryable, accountId: string, now: Date): Promise<Pair> {
  const familyId = randomUUID();
  await tx.query(`INSERT INTO token_families (id, account_id, created_at) VALUES ($1, $2, $3)`, [
    familyId,
    accountId,
    now,
  ]);
  return storePair(tx, familyId, newToken('tpa_'), newToken('tpr_'), now);
}

function successor(secret: string, refreshToken: string) {
  const mac = (label: string) =>
    createHmac('sha256', secret).update(`${label}\n${refreshToken}`).digest('base64url');
  return { access: 'tpa_' + mac('access'), refresh: 'tpr_' + mac('refresh') };
}

/** Rotates a refresh token (see the module comment for the rules). */
export async function refreshSession(deps: Deps, secret: string, refreshToken: string): Promise<Pair> {
  const now = deps.clock();
  const unauthorized = () =>
    new ApiError('unauthorized', 'The refresh token is invalid, expired or revoked.');
  const outcome = await deps.db.transaction(async (tx) => {
    const [row] = await tx.query<{
      family_id: string;
      expires_at: Date;
      used_at: Date | null;
      revoked_at: Date | null;
    }>(
      `SELECT r.family_id, r.expires_at, r.used_at, f.revoked_at
       FROM refresh_tokens r JOIN token_families f ON f.id = r.family_id
       WHERE r.token_hash = $1 FOR UPDATE OF r`,
      [sha256(refreshToken)],
    );
    if (!row || row.revoked_at || new Date(row.expires_at) <= now) return { error: true as const };
    const next = successor(secret, refreshToken);
    if (row.used_at === null) {
      await tx.query(`UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1`, [
        sha256(refreshToken),
        now,
      ]);
      return { pair: await storePair(tx, row.family_id, next.access, next.refresh, now) };
    }
    const [succ] = await tx.query<{ used_at: Date | null }>(
      `SELECT used_at FROM refresh_tokens WHERE token_hash = $1`,
      [sha256(next.refresh)],
    );
    const withinGrace = now.getTime() - new Date(row.used_at).getTime() <= REFRESH_GRACE_MS;
    if (withinGrace && succ && succ.used_at === null) {
      return {
        pair: {
          accessToken: next.access,
          refreshToken: next.refresh,
          tokenType: 'Bearer' as const,
          expiresIn: ACCESS_TTL_S,
        },
      };
    }
    // Reuse of a spent token: someone else may hold this family. Revoke all of it.
    await tx.query(`UPDATE token_families SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [
      row.family_id,
      now,
    ]);
    return { error: true as const, revoked: row.family_id };
  });
  if ('pair' in outcome && outcome.pair) return outcome.pair;
  if ('revoked' in outcome && outcome.revoked) forgetFamily(deps, outcome.revoked);
  throw unauthorized();
}

/**
 * Verified access tokens, per app (per `Deps`): the token lookup is one of the few statements of a payment,
 * so a token seen in the last TOKEN_CACHE_MS is trusted without asking the database again. Safe because:
 * the token's own expiry is still checked on every request (against `deps.clock()`); a logout or a
 * refresh-token reuse in this process drops the family's entries at once (`forgetFamily`); and a
 * revocation by another process sharing the PostgreSQL database takes effect within TOKEN_CACHE_MS.
 */
export const TOKEN_CACHE_MS = 2_000;
const TOKEN_CACHE_MAX = 10_000;
interface CachedToken {
  accountId: string;
  familyId: string;
  expiresAt: number;
  verifiedAt: number;
}
const tokenCaches = new WeakMap<Deps, Map<string, CachedToken>>();
function tokenCache(deps: Deps): Map<string, CachedToken> {
  let cache = tokenCaches.get(deps);
  if (!cache) tokenCaches.set(deps, (cache = new Map()));
  return cache;
}

/** Drops every cached access token of a family (call after revoking it). */
export function forgetFamily(deps: Deps, familyId: string): void {
  const cache = tokenCache(deps);
  for (const [hash, entry] of cache) if (entry.familyId === familyId) cache.delete(hash);
}

/** Resolves a bearer access token to its account and family, or throws 401. */
export async function authenticate(
  deps: Deps,
  header: string | undefined,
): Promise<{ accountId: string; familyId: string }> {
  const m = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header ?? '');
  if (!m?.[1])
    throw new ApiError('unauthorized', 'Sign in first: Authorization: Bearer <accessToken>.', {
      'www-authenticate': 'Bearer',
    });
  const hash = sha256(m[1]);
  const now = deps.clock();
  const cache = tokenCache(deps);
  const hit = cache.get(hash);
  if (hit && performance.now() - hit.verifiedAt < TOKEN_CACHE_MS && hit.expiresAt > now.getTime()) {
    return { accountId: hit.accountId, familyId: hit.familyId };
  }
  if (hit) cache.delete(hash);
  const verifiedAt = performance.now();
  const [row] = await deps.db.query<{ account_id: string; family_id: string; expires_at: Date }>(
    `SELECT f.account_id, a.family_id, a.expires_at FROM access_tokens a JOIN token_families f ON f.id = a.family_id
     WHERE a.token_hash = $1 AND a.expires_at > $2 AND f.revoked_at IS NULL`,
    [hash, now],
  );
  if (!row) {
    throw new ApiError('unauthorized', 'The access token is invalid, expired or revoked.', {
      'www-authenticate': 'Bearer error="invalid_token"',
    });
  }
  if (cache.size >= TOKEN_CACHE_MAX) cache.clear(); // bounded memory
  cache.set(hash, {
    accountId: row.account_id,
    familyId: row.family_id,
    expiresAt: new Date(row.expires_at).getTime(),
    verifiedAt,
  });
  return { accountId: row.account_id, familyId: row.family_id };
}

export async function revokeFamily(deps: Deps, familyId: string): Promise<void> {
  forgetFamily(deps, familyId);
  await deps.db.query(`UPDATE token_families SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [
    familyId,
    deps.clock(),
  ]);
  forgetFamily(deps, familyId);
}

/** Login failures per email in a sliding minute (per process); 5 failures → 429 until the minute passes. */
export class LoginLimiter {
  private failures = new Map<string, number[]>();
  constructor(
    private readonly max = 5,
    private readonly windowMs = 60_000,
  ) {}
  private recent(email: string, now: number): number[] {
    const list = (this.failures.get(email) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(email, list);
    else this.failures.delete(email);
    return list;
  }
  /** Seconds until a new attempt is allowed, or 0. */
  retryAfter(email: string, now: number): number {
    const list = this.recent(email, now);
    if (list.length < this.max) return 0;
    return Math.max(1, Math.ceil((list[list.length - this.max]! + this.windowMs - now) / 1000));
  }
  fail(email: string, now: number): void {
    this.failures.set(email, [...this.recent(email, now), now]);
    if (this.failures.size > 100_000) this.failures.clear(); // bounded memory under a spray attack
  }
  succeed(email: string): void {
    this.failures.delete(email);
  }
}
