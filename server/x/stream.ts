/**
 * Pull mode (`X_INGEST=stream`): for operators without webhook access, the wallet reads payment posts from
 * X's Filtered Stream (https://docs.x.com/x-api/posts/filtered-stream/introduction):
 * - makes sure its rule exists (`@<bot> #<hashtag>`, `POST /2/tweets/search/stream/rules`);
 * - keeps `GET /2/tweets/search/stream` open with the expansions a decision needs (author and mentioned users,
 *   referenced posts, edit history, long-post text); each line is one delivery `{"data", "includes",
 *   "matching_rules"}`, blank lines are keep-alives (about every 20 s: silence for `stallMs` means a dead
 *   connection);
 * - reconnects with X's documented back-off (https://docs.x.com/x-api/posts/filtered-stream/integrate/
 *   handling-disconnections): network errors linear from 250 ms up to 16 s, HTTP errors exponential from 5 s
 *   up to 320 s, 429 exponential from 1 minute; the bases are options so tests run fast;
 * - after each (re)connection fills the gap from `GET /2/tweets/search/recent?since_id=` (the newest post id
 *   it stored; before the very first connection, the newest matching post on X), so a post made while
 *   disconnected is not lost (decisions are per post id: nothing pays twice);
 * - with several instances on one PostgreSQL exactly one holds the stream (a session advisory lock); the
 *   others try again every `leaderRetryMs` and one takes over when the holder dies.
 * Every post is stored as a delivery (`x_events`, source `stream` or `search`) before it is decided.
 */
import type { Leadership } from '../db/types';
import { TWEET_ID_RE } from '../../core/x-ids';
import type { Deps } from '../deps';
import { errorFields } from '../log';
import { processEvent, storeEvent } from './events';

export const STREAM_LOCK_KEY = 7_366_003;
const SINCE_KEY = 'x_stream_since_id';

export interface StreamOptions {
  bearerToken: string;
  networkBaseMs?: number;
  networkMaxMs?: number;
  httpBaseMs?: number;
  httpMaxMs?: number;
  rateLimitBaseMs?: number;
  /** No byte (not even a keep-alive) for this long: reconnect (X: 20 s keep-alives). Default 30 s. */
  stallMs?: number;
  /** How often an instance without the stream tries to take it. Default 2 s. */
  leaderRetryMs?: number;
}

/** The fields and expansions every delivered post needs (the v2 Post fields the decision reads). */
export const POST_QUERY =
  'expansions=author_id,entities.mentions.username,referenced_tweets.id' +
  '&tweet.fields=author_id,created_at,entities,referenced_tweets,edit_history_tweet_ids,note_tweet,' +
  'display_text_range,lang,conversation_id&user.fields=username';

export interface StreamIngest {
  /** Whether this instance holds the stream now. */
  leading(): boolean;
  stop(): Promise<void>;
}

export function streamRule(deps: Deps): string {
  return `@${deps.config.botHandle} #${deps.config.hashtag}`;
}

/** Waits `ms` or until `signal` aborts. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`X answered ${status}`);
  }
}

export function startStreamIngest(deps: Deps, opts: StreamOptions): StreamIngest {
  const x = deps.x!;
  const o = {
    networkBaseMs: 250,
    networkMaxMs: 16_000,
    httpBaseMs: 5_000,
    httpMaxMs: 320_000,
    rateLimitBaseMs: 60_000,
    stallMs: 30_000,
    leaderRetryMs: 2_000,
    ...opts,
  };
  const stopping = new AbortController();
  let lead: Leadership | undefined;
  const auth = { authorization: `Bearer ${opts.bearerToken}` };

  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${x.apiUrl}${path}`, {
      ...init,
      headers: { ...auth, 'content-type': 'application/json' },
      signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(x.timeoutMs)]),
    });
    if (!res.ok) {
      await res.arrayBuffer().catch(() => undefined);
      throw new HttpError(res.status);
    }
    return res.json() as Promise<Record<string, unknown>>;
  };

  const ingest = async (delivery: unknown, source: 'stream' | 'search') => {
    const body = JSON.stringify(delivery);
    const id = await storeEvent(deps, body, source);
    if (id !== undefined) await processEvent(deps, id, body);
    const postId = (delivery as { data?: { id?: unknown } }).data?.id;
    if (typeof postId === 'string' && TWEET_ID_RE.test(postId)) {
      // The newest post id seen (numeric order: ids are decimal strings of growing length).
      await deps.db.query(
        `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value =
           CASE WHEN length(EXCLUDED.value) > length(settings.value)
             OR (length(EXCLUDED.value) = length(settings.value) AND EXCLUDED.value > settings.value)
           THEN EXCLUDED.value ELSE settings.value END`,
        [SINCE_KEY, postId],
      );
    }
  };

  const ensureRule = async () => {
    const value = streamRule(deps);
    const rules = (await api('/2/tweets/search/stream/rules')).data as { value: string }[] | undefined;
    if (rules?.some((r) => r.value === value)) return;
    await api('/2/tweets/search/stream/rules', {
      method: 'POST',
      body: JSON.stringify({ add: [{ value, tag: 'tweetez-payez payments' }] }),
    });
    deps.log.info('x stream rule added', { rule: value });
  };

  const readSince = async () =>
    (await deps.db.query<{ value: string }>(`SELECT value FROM settings WHERE key = $1`, [SINCE_KEY]))[0]
      ?.value;
  const search = (since: string | undefined) =>
    api(
      `/2/tweets/search/recent?query=${encodeURIComponent(streamRule(deps))}` +
        `${since && since !== '0' ? `&since_id=${since}` : ''}&max_results=100&${POST_QUERY}`,
    );

  /**
   * Before the very first connection nothing is stored to fill a gap from: the newest matching post on X
   * becomes the starting point (`0` when there is none: the next fill then reads every matching post of the
   * search window, all made after this point). Taken before connecting, so a post made between this and the
   * stream's opening, or during the first disconnection, is found by the fill. Posts from before are not this
   * wallet's to decide.
   */
  const takeStartingPoint = async () => {
    if ((await readSince()) !== undefined) return;
    const newest = ((await search(undefined)).meta as { newest_id?: unknown } | undefined)?.newest_id;
    await deps.db.query(`INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [
      SINCE_KEY,
      typeof newest === 'string' && TWEET_ID_RE.test(newest) ? newest : '0',
    ]);
  };

  /** Posts made since the newest stored one (oldest first), each as a stream delivery. */
  const fillGap = async () => {
    const since = await readSince();
    if (since === undefined) return;
    const page = await search(since);
    const posts = ((page.data as Record<string, unknown>[] | undefined) ?? []).slice().reverse();
    for (const post of posts) await ingest({ data: post, includes: page.includes ?? {} }, 'search');
    if (posts.length) deps.log.info('x stream gap filled from search', { posts: posts.length });
  };

  /** One connection: resolves when it ends (dropped, stalled, stopped, leadership lost), throws on an HTTP error. */
  const connect = async (onOpen: () => void, lost: AbortSignal) => {
    const stall = new AbortController();
    let timer = setTimeout(() => stall.abort(), o.stallMs); // no answer, or silence, for stallMs: dead
    const res = await fetch(`${x.apiUrl}/2/tweets/search/stream?${POST_QUERY}`, {
      headers: auth,
      signal: AbortSignal.any([stopping.signal, stall.signal, lost]),
    }).catch((err: unknown) => {
      clearTimeout(timer);
      throw err;
    });
    if (!res.ok || !res.body) {
      clearTimeout(timer);
      await res.arrayBuffer().catch(() => undefined);
      throw new HttpError(res.status);
    }
    onOpen();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        clearTimeout(timer);
        timer = setTimeout(() => stall.abort(), o.stallMs);
        buffer += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (!line) continue; // keep-alive
          let delivery: unknown;
          try {
            delivery = JSON.parse(line);
          } catch {
            delivery = line; // stored as is, recorded as malformed
          }
          await ingest(delivery, 'stream');
        }
      }
    } finally {
      clearTimeout(timer);
    }
  };

  const holdStream = async (lost: AbortSignal) => {
    let network = 0;
    let http = 0;
    let limited = 0;
    while (!stopping.signal.aborted && !lost.aborted) {
      try {
        await ensureRule();
        await takeStartingPoint();
        await connect(() => {
          network = http = limited = 0;
          void fillGap().catch((err: unknown) =>
            deps.log.error('x stream gap fill failed', errorFields(err)),
          );
        }, lost);
        network++; // the connection ended without an HTTP error: a network-level reconnect
        await sleep(Math.min(o.networkMaxMs, o.networkBaseMs * network), stopping.signal);
      } catch (err) {
        if (stopping.signal.aborted || lost.aborted) break;
        if (err instanceof HttpError && err.status === 429) {
          await sleep(o.rateLimitBaseMs * 2 ** limited++, stopping.signal);
        } else if (err instanceof HttpError) {
          await sleep(Math.min(o.httpMaxMs, o.httpBaseMs * 2 ** http++), stopping.signal);
        } else {
          network++;
          await sleep(Math.min(o.networkMaxMs, o.networkBaseMs * network), stopping.signal);
        }
        deps.log.info('x stream reconnecting', { error: String((err as Error).message ?? err) });
      }
    }
  };

  const run = (async () => {
    while (!stopping.signal.aborted) {
      lead = await deps.db.tryLeadership(STREAM_LOCK_KEY).catch(() => undefined);
      if (!lead) {
        await sleep(o.leaderRetryMs, stopping.signal);
        continue;
      }
      deps.log.info('x stream: this instance holds the stream', {});
      const current = lead;
      const lost = new AbortController();
      // The lock's connection died: another instance may take the stream now; this one lets go at once.
      void current.lost.then(() => {
        lost.abort();
        if (lead === current) lead = undefined;
      });
      await holdStream(lost.signal);
      await current.release();
      lead = undefined;
    }
  })();

  return {
    leading: () => lead !== undefined,
    async stop() {
      stopping.abort();
      await run;
    },
  };
}
