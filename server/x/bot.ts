/**
 * The bot's replies on X: texts, tokens and the worker that empties the outbox (`outbox.ts`).
 *
 * - `POST /2/tweets` with `{"text", "reply": {"in_reply_to_tweet_id"}}` and the bot's OAuth 2.0 user token
 *   (https://docs.x.com/x-api/posts/create-post); 201 → sent.
 * - 429 → no reply from any instance until `x-rate-limit-reset` (epoch seconds;
 *   https://docs.x.com/x-api/fundamentals/rate-limits); 401 → refresh the token once (refresh tokens rotate: the new pair replaces the
 *   old one in the database, https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code);
 *   network errors, time-outs and 5xx → exponential back-off; another 4xx → given up (`failed_at`).
 * - Exactly one reply per row: a row is claimed with `FOR UPDATE SKIP LOCKED` and a lease, so two instances
 *   never send the same one. A row whose lease ran out without a result (its sender died mid-request) may
 *   have reached X: before sending it again the worker asks X's recent search whether the bot already
 *   replied to that post, and only sends if not.
 */
import * as oauth from 'oauth4webapi';
import { weightedLength } from '../../core/weighted-length';
import type { Deps } from '../deps';
import { errorFields } from '../log';
import type { ReplyKind } from './outbox';

export interface ReplyWorkerOptions {
  /** How often the worker looks for due replies (default 2 s). */
  intervalMs?: number;
  /** How long a claimed row is reserved to its sender (default 60 s). */
  leaseMs?: number;
  /** First back-off after a failure, doubled each time up to `backoffMaxMs` (default 5 s → 15 min). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

const DAY = 86_400_000;

/** "12,50" in French, "12.50" in English; whole euros without decimals. ASCII. */
function amount(cents: number, lang: 'fr' | 'en'): string {
  const euros = Math.floor(cents / 100);
  const c = cents % 100;
  const n = c === 0 ? String(euros) : `${euros}${lang === 'fr' ? ',' : '.'}${String(c).padStart(2, '0')}`;
  return lang === 'fr' ? `${n} €` : `€${n}`;
}

/** The text of a reply, at most 280 weighted characters (twitter-text rules). */
export function replyText(
  r: {
    kind: ReplyKind;
    lang: 'fr' | 'en';
    amountCents: number;
    recipientHandle: string;
    payerHandle: string | null;
    expiresAt: Date | null;
  },
  claimUrl: string,
  now: Date,
): string {
  const sum = amount(r.amountCents, r.lang);
  if (r.kind === 'receipt') {
    return r.lang === 'fr'
      ? `✅ ${sum} envoyés à @${r.recipientHandle}`
      : `✅ ${sum} sent to @${r.recipientHandle}`;
  }
  const days = r.expiresAt ? Math.max(1, Math.ceil((r.expiresAt.getTime() - now.getTime()) / DAY)) : 1;
  const from = r.payerHandle ? ` @${r.payerHandle}` : '';
  const candidates =
    r.lang === 'fr'
      ? [
          `@${r.recipientHandle}, ${sum} vous attendent de la part de${from || ' quelqu’un'} ` +
            `(encore ${days} jour${days > 1 ? 's' : ''}). Ouvrez un portefeuille Tweetez Payez et liez ` +
            `votre compte X pour les recevoir : ${claimUrl}`,
          `@${r.recipientHandle}, ${sum} vous attendent (encore ${days} j) : ${claimUrl}`,
        ]
      : [
          `@${r.recipientHandle}, ${sum} from${from || ' someone'} is waiting for you ` +
            `(${days} more day${days > 1 ? 's' : ''}). Open a Tweetez Payez wallet and link your X account ` +
            `to receive it: ${claimUrl}`,
          `@${r.recipientHandle}, ${sum} is waiting for you (${days} more days): ${claimUrl}`,
        ];
  return candidates.find((t) => weightedLength(t) <= 280) ?? candidates[candidates.length - 1]!;
}

/** Seeds the bot's tokens from the configuration the first time (afterwards the database has newer ones). */
export async function seedBotTokens(deps: Deps): Promise<boolean> {
  const x = deps.x;
  if (!x?.botAccessToken || !x.botRefreshToken) return false;
  await deps.db.query(
    `INSERT INTO x_bot_tokens (id, access_token, refresh_token, updated_at) VALUES (1, $1, $2, $3)
     ON CONFLICT (id) DO NOTHING`,
    [x.botAccessToken, x.botRefreshToken, deps.clock()],
  );
  return true;
}

async function botTokens(deps: Deps) {
  const [t] = await deps.db.query<{ access_token: string; refresh_token: string }>(
    `SELECT access_token, refresh_token FROM x_bot_tokens WHERE id = 1`,
  );
  return t;
}

/** Rotates the bot's tokens; returns the access token to use (another instance's if it rotated first). */
async function refreshBotTokens(deps: Deps, old: { refresh_token: string }): Promise<string | undefined> {
  const x = deps.x!;
  if (!x.clientId || !x.clientSecret) return undefined;
  const as: oauth.AuthorizationServer = { issuer: x.apiUrl, token_endpoint: `${x.apiUrl}/2/oauth2/token` };
  const client = { client_id: x.clientId };
  const options = {
    signal: () => AbortSignal.timeout(x.timeoutMs),
    ...(x.apiUrl.startsWith('http://') ? { [oauth.allowInsecureRequests]: true } : {}),
  };
  try {
    const res = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(x.clientSecret),
      old.refresh_token,
      options,
    );
    const t = await oauth.processRefreshTokenResponse(as, client, res);
    if (!t.refresh_token) return undefined;
    const rows = await deps.db.query(
      `UPDATE x_bot_tokens SET access_token = $2, refresh_token = $3, updated_at = $4
       WHERE id = 1 AND refresh_token = $1 RETURNING id`,
      [old.refresh_token, t.access_token, t.refresh_token, deps.clock()],
    );
    if (rows.length) return t.access_token;
  } catch (err) {
    deps.log.error('x bot token refresh failed', errorFields(err));
  }
  // Someone else rotated first (our refresh token was spent): use theirs.
  const now = await botTokens(deps);
  return now && now.refresh_token !== old.refresh_token ? now.access_token : undefined;
}

interface Claimed {
  id: number;
  payment_id: string;
  kind: ReplyKind;
  in_reply_to: string;
  lang: 'fr' | 'en';
  attempts: number;
  uncertain: boolean;
}

/** Sends the due replies (at most `batch`); returns how many were sent. */
export async function sendDueReplies(deps: Deps, opts: ReplyWorkerOptions = {}, batch = 20): Promise<number> {
  const x = deps.x;
  if (!x) return 0;
  const leaseMs = opts.leaseMs ?? 60_000;
  const base = opts.backoffBaseMs ?? 5_000;
  const max = opts.backoffMaxMs ?? 15 * 60_000;
  let sent = 0;
  for (let i = 0; i < batch; i++) {
    const now = deps.clock();
    const [pause] = await deps.db.query<{ paused_until: Date | null }>(
      `SELECT paused_until FROM x_bot_tokens WHERE id = 1`,
    );
    if (pause?.paused_until && new Date(pause.paused_until) > now) break;
    const [row] = await deps.db.query<Claimed & Record<string, unknown>>(
      `WITH c AS (
         SELECT id, claimed_until IS NOT NULL AS uncertain FROM x_outbox
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
           AND (claimed_until IS NULL OR claimed_until <= $1)
         ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
       UPDATE x_outbox o SET claimed_until = $2, attempts = o.attempts + 1 FROM c WHERE o.id = c.id
       RETURNING o.id, o.payment_id, o.kind, o.in_reply_to, o.lang, o.attempts, c.uncertain`,
      [now, new Date(now.getTime() + leaseMs)],
    );
    if (!row) break;
    const done = (fields: string, values: unknown[]) =>
      deps.db.query(`UPDATE x_outbox SET ${fields} WHERE id = $1`, [row.id, ...values]);
    // A failed attempt may still have reached X (a time-out, a 5xx, a crash): the lease is left set to
    // the retry time, which marks the row uncertain, so the next attempt first checks X for the reply.
    const retryLater = (err: string) => {
      const next = new Date(
        now.getTime() + Math.min(max, base * 2 ** Math.min(20, Number(row.attempts) - 1)),
      );
      return done(`next_attempt_at = $2, claimed_until = $2, last_error = $3`, [next, err]);
    };
    try {
      const outcome = await sendOne(deps, row, now);
      if (outcome.kind === 'sent') {
        await done(`claimed_until = NULL, sent_at = $2, x_post_id = $3, last_error = NULL`, [
          deps.clock(),
          outcome.postId,
        ]);
        sent++;
        deps.log.info('x bot replied', { paymentId: row.payment_id, kind: row.kind, postId: outcome.postId });
      } else if (outcome.kind === 'rate_limited') {
        await deps.db.query(`UPDATE x_bot_tokens SET paused_until = $1 WHERE id = 1`, [outcome.until]);
        // Not the row's fault: it keeps its place, and this attempt does not count.
        await done(
          `claimed_until = NULL, next_attempt_at = $2, attempts = attempts - 1, last_error = 'rate_limited'`,
          [outcome.until],
        );
        break;
      } else if (outcome.kind === 'skip' || outcome.kind === 'rejected') {
        await done(`claimed_until = NULL, failed_at = $2, last_error = $3`, [deps.clock(), outcome.reason]);
      } else await retryLater(outcome.reason);
    } catch (err) {
      await retryLater(String((err as Error)?.message ?? err).slice(0, 200));
    }
  }
  return sent;
}

type SendOutcome =
  | { kind: 'sent'; postId: string }
  | { kind: 'rate_limited'; until: Date }
  | { kind: 'retry'; reason: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'skip'; reason: string };

async function sendOne(deps: Deps, row: Claimed, now: Date): Promise<SendOutcome> {
  const x = deps.x!;
  const [p] = await deps.db.query<{
    amount_cents: number;
    recipient_handle: string;
    expires_at: Date | null;
    status: string;
    payer_handle: string | null;
  }>(
    `SELECT p.amount_cents, p.recipient_handle, p.expires_at, p.status, a.x_handle AS payer_handle
     FROM payments p JOIN accounts a ON a.id = p.payer_id WHERE p.id = $1`,
    [row.payment_id],
  );
  if (!p) return { kind: 'skip', reason: 'payment_gone' };
  // An invitation whose money was claimed or refunded meanwhile has nothing left to say.
  if (row.kind === 'invitation' && p.status !== 'claimable')
    return { kind: 'skip', reason: `now_${p.status}` };
  let tokens = await botTokens(deps);
  if (!tokens) return { kind: 'retry', reason: 'no_bot_tokens' };
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${x.apiUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${tokens!.access_token}`, 'content-type': 'application/json' },
      signal: AbortSignal.timeout(x.timeoutMs),
    });
  const withRefresh = async (path: string, init?: RequestInit) => {
    let res = await call(path, init);
    if (res.status === 401) {
      const fresh = await refreshBotTokens(deps, tokens!);
      if (!fresh) return res;
      tokens = { ...tokens!, access_token: fresh };
      res = await call(path, init);
    }
    return res;
  };
  const rateLimited = (res: Response): SendOutcome => {
    const reset = Number(res.headers.get('x-rate-limit-reset'));
    return {
      kind: 'rate_limited',
      until: Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : new Date(now.getTime() + 60_000),
    };
  };

  if (row.uncertain) {
    // The last sender died mid-request: did X get it? (in_reply_to_tweet_id: and from: are search operators.)
    const q = `in_reply_to_tweet_id:${row.in_reply_to} from:${deps.config.botHandle}`;
    const res = await withRefresh(`/2/tweets/search/recent?query=${encodeURIComponent(q)}`);
    if (res.status === 429) return rateLimited(res);
    if (!res.ok) return { kind: 'retry', reason: `search_${res.status}` };
    const found = ((await res.json()) as { data?: { id: string }[] }).data?.[0];
    if (found) return { kind: 'sent', postId: found.id };
  }

  const text = replyText(
    {
      kind: row.kind,
      lang: row.lang,
      amountCents: Number(p.amount_cents),
      recipientHandle: p.recipient_handle,
      payerHandle: p.payer_handle,
      expiresAt: p.expires_at ? new Date(p.expires_at) : null,
    },
    `${x.publicUrl}/claim`,
    now,
  );
  const res = await withRefresh('/2/tweets', {
    method: 'POST',
    body: JSON.stringify({ text, reply: { in_reply_to_tweet_id: row.in_reply_to } }),
  });
  if (res.status === 201 || res.status === 200) {
    const body = (await res.json().catch(() => undefined)) as { data?: { id?: string } } | undefined;
    return { kind: 'sent', postId: String(body?.data?.id ?? '') };
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.status === 429) return rateLimited(res);
  if (res.status >= 500 || res.status === 401) return { kind: 'retry', reason: `x_${res.status}` };
  return { kind: 'rejected', reason: `x_${res.status}` };
}

/** Runs `sendDueReplies` every `intervalMs` (never two passes at once); returns a stop function. */
export function startReplyWorker(deps: Deps, opts: ReplyWorkerOptions = {}): () => Promise<void> {
  let running: Promise<void> | undefined;
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped || running) return;
    running = sendDueReplies(deps, opts)
      .then(
        () => undefined,
        (err: unknown) => deps.log.error('x bot replies failed', errorFields(err)),
      )
      .finally(() => {
        running = undefined;
      });
  }, opts.intervalMs ?? 2_000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
