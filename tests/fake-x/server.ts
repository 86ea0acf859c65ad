/**
 * A local stand-in for X: the subset of X's API the wallet uses, in X's own shapes, on an ephemeral port
 * (plain node:http). Started by the server tests, the end-to-end tests and `npm run demo`.
 *
 * - OAuth 2.0 Authorization Code + PKCE (https://docs.x.com/fundamentals/authentication/oauth-2-0/
 *   authorization-code): `GET /i/oauth2/authorize` consents at once as `consentAs` (or answers
 *   `error=access_denied`), `POST /2/oauth2/token` checks the client (HTTP Basic), the code (single use,
 *   same redirect_uri) and the S256 `code_verifier`; refresh tokens rotate (an old one is refused).
 * - `GET /2/users/me`, `POST /2/tweets` (recorded in `posts`, whoever posts: the bot's replies, and the posts
 *   a signed-in user makes on the offline X pages, which tests/e2e/x-pages.ts forwards here with that user's
 *   token), `GET /2/tweets/search/recent` (the rule's words, `since_id`), filtered stream rules and
 *   `GET /2/tweets/search/stream` (newline-delimited JSON, blank keep-alive lines).
 * - A post made with `POST /2/tweets` or `publish(post)` appears on "X": in search, on open streams whose
 *   rules it matches, and it is delivered to every `subscribe`d webhook whose user it is by or mentions;
 *   `deliver(format, …)` POSTs one post to a webhook signed as X signs (AAA, X Activity API or Filtered Stream).
 * - Misbehaviour on purpose: `set({ mode: 'slow' | 'down' | 'malformed' | 'rate_limited' })`,
 *   `streamAnswers` (statuses for the next stream connections), `dropStreams()`, `streamsDown` (stream
 *   connections are cut at once, as when the network is down).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  postV2,
  streamDelivery,
  tweetCreateEvents,
  tweetObject,
  xaaEvent,
  type TweetInput,
  type V2Post,
} from '../helpers/x-payload';
import type { XConfig } from '../../server/x/config';
import { xSignature } from '../../server/x/signature';

export interface FakeXUser {
  id: string;
  username: string;
  name?: string;
}

/**
 * `lost_answer`: `POST /2/tweets` records the post, then drops the connection before answering (the
 * caller cannot know it was posted).
 */
export type Misbehaviour = 'ok' | 'slow' | 'down' | 'malformed' | 'rate_limited' | 'lost_answer';

export interface FakeXOptions {
  clientId?: string;
  clientSecret?: string;
  /** The app's consumer secret (webhook signatures). */
  consumerSecret?: string;
  users?: FakeXUser[];
  /** Bearer token of the app (stream, search). */
  bearerToken?: string;
  /** Keep-alive period of streams (X: 20 s). */
  keepAliveMs?: number;
}

export interface RecordedPost {
  id: string;
  text: string;
  authorId: string;
  inReplyTo?: string;
}

interface Code {
  clientId: string;
  redirectUri: string;
  challenge: string;
  userId: string;
  scope: string;
  used: boolean;
}

/** A webhook X delivers posts to (X Activity API subscription or Filtered Stream webhook). */
export interface Subscription {
  url: string;
  format: 'xaa' | 'stream';
  /** The subscription's user (X Activity API `filter.user_id`): posts by or mentioning them. */
  forUserId: string;
}

export interface FakeX {
  url: string;
  clientId: string;
  clientSecret: string;
  bearerToken: string;
  users: Map<string, FakeXUser>;
  /** Who consents on the next authorize (undefined: the user refuses). */
  consentAs: string | undefined;
  /** What was posted with POST /2/tweets (the bot's replies, users' posts from the offline X pages). */
  posts: RecordedPost[];
  /** Webhook deliveries of published posts: the post id and the wallet's HTTP status (0: unreachable). */
  deliveries: { postId: string; url: string; status: number }[];
  /** The `since_id` of each `GET /2/tweets/search/recent` for posts (null: none). */
  searches: (string | null)[];
  /** While true, every stream connection is cut as soon as it arrives (counted in `streamsRefused`). */
  streamsDown: boolean;
  streamsRefused: number;
  /** Every request seen, `METHOD path`. */
  requests: string[];
  rules: { id: string; value: string; tag?: string }[];
  /** Statuses the next stream connections answer with, in order (e.g. [429, 503]). */
  streamAnswers: number[];
  set(m: { mode?: Misbehaviour; slowMs?: number; rateLimitReset?: number }): void;
  /** A user token for `userId` (as if they had consented before), with its refresh token. */
  issueTokens(userId: string, scope?: string): { accessToken: string; refreshToken: string };
  /** The wallet's X configuration pointing at this stand-in; with `botId`, the bot's fresh tokens too. */
  walletConfig(botId?: string): XConfig;
  /** The same for a wallet server process: its environment (X_API_URL, X_CLIENT_ID, X_BOT_…, PUBLIC_URL). */
  walletEnv(botId: string): Record<string, string>;
  /** Makes a post appear on X: search, matching streams, subscribed webhooks. Returns its v2 form. */
  publish(t: TweetInput): V2Post;
  /** Delivers every post published from now on by or mentioning `forUserId` to `url`, signed, in `format`. */
  subscribe(s: Subscription): void;
  /** POSTs `t` to `webhookUrl` in `format`, signed; resolves with the HTTP status. */
  deliver(
    webhookUrl: string,
    format: 'aaa' | 'xaa' | 'stream',
    t: TweetInput,
    opts?: { forUserId?: string; eventUuid?: string },
  ): Promise<number>;
  /** Every user access token issued so far stops working (as when they expire). */
  expireAccessTokens(): void;
  /** Ends every open stream connection abruptly. */
  dropStreams(): void;
  /** Resolves when `n` stream connections have been opened in total (cut ones not counted). */
  streamConnections(n: number): Promise<void>;
  /** Resolves when `n` stream connections have been cut by `streamsDown` in total. */
  streamRefusals(n: number): Promise<void>;
  /** Resolves when `n` searches for posts have been answered in total; resolves with their `since_id`s. */
  waitForSearches(n: number): Promise<(string | null)[]>;
  /** Resolves when `n` webhook deliveries have been answered in total. */
  waitForDeliveries(n: number): Promise<FakeX['deliveries']>;
  /** Resolves when a request `METHOD path` has been received `n` times in total. */
  waitForRequests(request: string, n?: number): Promise<void>;
  /** Resolves when `n` posts (by `authorId` when given) have been posted in total; resolves with those posts. */
  waitForPosts(n: number, authorId?: string): Promise<RecordedPost[]>;
  close(): Promise<void>;
}

const b64url = (b: Buffer) => b.toString('base64url');

/** Whether `text` matches a filtered-stream rule made of words that must all appear (all this stand-in needs). */
const matchesRule = (rule: string, text: string) =>
  rule
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.toLowerCase().includes(word.replace(/"/g, '')));

export async function startFakeX(opts: FakeXOptions = {}): Promise<FakeX> {
  const clientId = opts.clientId ?? 'fake-x-client-id';
  const clientSecret = opts.clientSecret ?? 'fake-x-client-secret';
  const consumerSecret = opts.consumerSecret ?? 'fake-x-consumer-secret';
  const bearerToken = opts.bearerToken ?? 'fake-x-app-bearer';
  const keepAliveMs = opts.keepAliveMs ?? 20_000;
  const users = new Map((opts.users ?? []).map((u) => [u.id, u]));
  const codes = new Map<string, Code>();
  const access = new Map<string, { userId: string; scope: string }>();
  const refresh = new Map<string, { userId: string; scope: string; used: boolean }>();
  const timeline: V2Post[] = [];
  const subscriptions: Subscription[] = [];
  const streams = new Set<http.ServerResponse>();
  let opened = 0;
  const waiters: (() => void)[] = [];
  const notify = () => waiters.splice(0).forEach((w) => w());
  const waitFor = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (cond() ? resolve() : waiters.push(check));
      check();
    });
  let mode: Misbehaviour = 'ok';
  let slowMs = 0;
  let rateLimitReset = 0;
  let nextPostId = 1_900_000_000_000_000_000n;

  const issue = (userId: string, scope: string) => {
    const accessToken = b64url(randomBytes(24));
    const refreshToken = b64url(randomBytes(24));
    access.set(accessToken, { userId, scope });
    refresh.set(refreshToken, { userId, scope, used: false });
    return { accessToken, refreshToken };
  };

  const fx: FakeX = {
    url: '',
    clientId,
    clientSecret,
    bearerToken,
    users,
    consentAs: undefined,
    posts: [],
    deliveries: [],
    searches: [],
    streamsDown: false,
    streamsRefused: 0,
    requests: [],
    rules: [],
    streamAnswers: [],
    set(m) {
      if (m.mode) mode = m.mode;
      if (m.slowMs !== undefined) slowMs = m.slowMs;
      if (m.rateLimitReset !== undefined) rateLimitReset = m.rateLimitReset;
    },
    issueTokens: (userId, scope = 'tweet.read tweet.write users.read offline.access') => issue(userId, scope),
    walletEnv(botId) {
      const bot = fx.issueTokens(botId);
      return {
        X_CONSUMER_SECRET: consumerSecret,
        X_API_URL: fx.url,
        X_AUTHORIZE_URL: `${fx.url}/i/oauth2/authorize`,
        X_CLIENT_ID: fx.clientId,
        X_CLIENT_SECRET: fx.clientSecret,
        X_BOT_ACCESS_TOKEN: bot.accessToken,
        X_BOT_REFRESH_TOKEN: bot.refreshToken,
        X_BOT_USER_ID: botId,
        PUBLIC_URL: 'https://wallet.example',
      };
    },
    walletConfig(botId) {
      const bot = botId === undefined ? undefined : fx.issueTokens(botId);
      return {
        clientId: fx.clientId,
        clientSecret: fx.clientSecret,
        publicUrl: 'https://wallet.example',
        apiUrl: fx.url,
        authorizeUrl: `${fx.url}/i/oauth2/authorize`,
        timeoutMs: 5_000,
        ...(bot && { botAccessToken: bot.accessToken, botRefreshToken: bot.refreshToken }),
      };
    },
    publish(t) {
      const v2 = postV2(t);
      timeline.push(v2);
      const text = String(v2.post.text);
      const rule = fx.rules.find((r) => matchesRule(r.value, text));
      if (rule) {
        const line = JSON.stringify(streamDelivery(v2, { id: rule.id, tag: rule.tag ?? '' })) + '\r\n';
        for (const res of streams) res.write(line);
      }
      const concerned = new Set([t.userId, ...(t.mentions ?? []).map((m) => m.userId)]);
      for (const s of subscriptions.filter((s) => concerned.has(s.forUserId))) {
        const postId = t.tweetId;
        void fx.deliver(s.url, s.format, t, { forUserId: s.forUserId }).then(
          (status) => (fx.deliveries.push({ postId, url: s.url, status }), notify()),
          () => (fx.deliveries.push({ postId, url: s.url, status: 0 }), notify()),
        );
      }
      return v2;
    },
    subscribe: (s) => void subscriptions.push(s),
    async deliver(webhookUrl, format, t, o = {}) {
      let body: string;
      if (format === 'aaa') body = JSON.stringify(tweetCreateEvents(o.forUserId ?? '0', [tweetObject(t)]));
      else {
        const v2 = postV2(t);
        body = JSON.stringify(
          format === 'stream'
            ? streamDelivery(v2)
            : xaaEvent('post.create', v2.post, {
                eventUuid: o.eventUuid ?? randomUUID(),
                filterUserId: o.forUserId ?? t.userId,
                includes: v2.includes,
              }),
        );
      }
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-twitter-webhooks-signature': xSignature(consumerSecret, body),
        },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    },
    expireAccessTokens: () => access.clear(),
    dropStreams() {
      for (const res of streams) res.socket?.destroy();
      streams.clear();
    },
    streamConnections: (n) => waitFor(() => opened >= n),
    streamRefusals: (n) => waitFor(() => fx.streamsRefused >= n),
    async waitForSearches(n) {
      await waitFor(() => fx.searches.length >= n);
      return fx.searches;
    },
    async waitForDeliveries(n) {
      await waitFor(() => fx.deliveries.length >= n);
      return fx.deliveries;
    },
    waitForRequests: (request, n = 1) => waitFor(() => fx.requests.filter((r) => r === request).length >= n),
    async waitForPosts(n, authorId) {
      const by = () => fx.posts.filter((x) => !authorId || x.authorId === authorId);
      await waitFor(() => by().length >= n);
      return by();
    },
    close: async () => {
      fx.dropStreams();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    },
  };

  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(mode === 'malformed' ? '{"data": {"id": ' : JSON.stringify(body));
  };
  // X's v2 error shape (https://docs.x.com/x-api/fundamentals/response-codes-and-errors).
  const problem = (res: http.ServerResponse, status: number, title: string, detail: string) =>
    send(res, status, { title, detail, type: 'about:blank', status });
  const readBody = (req: http.IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (c: Buffer) => (s += c.toString('utf8')));
      req.on('end', () => resolve(s));
    });
  const userOf = (req: http.IncomingMessage) => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    return m ? access.get(m[1]!) : undefined;
  };
  const isApp = (req: http.IncomingMessage) => req.headers.authorization === `Bearer ${bearerToken}`;

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    fx.requests.push(`${req.method} ${url.pathname}`);
    notify();
    if (mode === 'down') {
      res.socket?.destroy();
      return;
    }
    if (mode === 'slow') {
      // Answers after slowMs, or never if the stand-in closes first.
      await new Promise<void>((r) => {
        const t = setTimeout(r, slowMs);
        t.unref();
        res.on('close', () => clearTimeout(t));
      });
      if (res.destroyed) return;
    }
    if (mode === 'rate_limited' && url.pathname !== '/i/oauth2/authorize') {
      return problem(res, 429, 'Too Many Requests', 'Too Many Requests');
    }
    try {
      await route(req, res, url);
    } catch (err) {
      problem(res, 500, 'Internal error', String(err));
    }
  });

  async function route(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const p = url.pathname;
    if (req.method === 'GET' && p === '/i/oauth2/authorize') {
      const q = url.searchParams;
      const redirect = q.get('redirect_uri') ?? '';
      if (q.get('client_id') !== clientId || !redirect) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('Something went wrong: unknown client');
        return;
      }
      const back = new URL(redirect);
      const state = q.get('state');
      if (state) back.searchParams.set('state', state);
      if (
        q.get('response_type') !== 'code' ||
        q.get('code_challenge_method') !== 'S256' ||
        !q.get('code_challenge')
      ) {
        back.searchParams.set('error', 'invalid_request');
      } else if (!fx.consentAs || !users.has(fx.consentAs)) {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = b64url(randomBytes(24));
        codes.set(code, {
          clientId,
          redirectUri: redirect,
          challenge: q.get('code_challenge')!,
          userId: fx.consentAs,
          scope: q.get('scope') ?? '',
          used: false,
        });
        back.searchParams.set('code', code);
      }
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (req.method === 'POST' && p === '/2/oauth2/token') {
      const form = new URLSearchParams(await readBody(req));
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      const [id, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString().split(':') : [];
      const oauthError = (error: string, description: string, status = 400) =>
        send(res, status, { error, error_description: description });
      if (decodeURIComponent(id ?? '') !== clientId || decodeURIComponent(secret ?? '') !== clientSecret) {
        return oauthError('unauthorized_client', 'Missing valid authorization header', 401);
      }
      const grant = form.get('grant_type');
      if (grant === 'authorization_code') {
        const c = codes.get(form.get('code') ?? '');
        if (!c || c.used || c.redirectUri !== form.get('redirect_uri')) {
          if (c) c.used = true;
          return oauthError('invalid_request', 'Value passed for the authorization code was invalid.');
        }
        c.used = true;
        const verifier = form.get('code_verifier') ?? '';
        if (b64url(createHash('sha256').update(verifier).digest()) !== c.challenge) {
          return oauthError('invalid_request', 'Value passed for the code verifier did not match.');
        }
        const t = issue(c.userId, c.scope);
        return send(res, 200, {
          token_type: 'bearer',
          expires_in: 7200,
          access_token: t.accessToken,
          scope: c.scope,
          ...(c.scope.split(' ').includes('offline.access') ? { refresh_token: t.refreshToken } : {}),
        });
      }
      if (grant === 'refresh_token') {
        const r = refresh.get(form.get('refresh_token') ?? '');
        if (!r || r.used) return oauthError('invalid_request', 'Value passed for the token was invalid.');
        r.used = true; // rotation: a refresh token works once
        const t = issue(r.userId, r.scope);
        return send(res, 200, {
          token_type: 'bearer',
          expires_in: 7200,
          access_token: t.accessToken,
          refresh_token: t.refreshToken,
          scope: r.scope,
        });
      }
      return oauthError('unsupported_grant_type', 'Unsupported grant type.');
    }
    if (req.method === 'GET' && p === '/2/users/me') {
      const who = userOf(req);
      const u = who && users.get(who.userId);
      if (!u) return problem(res, 401, 'Unauthorized', 'Unauthorized');
      return send(res, 200, { data: { id: u.id, name: u.name ?? u.username, username: u.username } });
    }
    if (req.method === 'POST' && p === '/2/tweets') {
      const who = userOf(req);
      if (!who) return problem(res, 401, 'Unauthorized', 'Unauthorized');
      if (rateLimitReset) {
        const reset = rateLimitReset;
        rateLimitReset = 0;
        return send(
          res,
          429,
          { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
          { 'x-rate-limit-reset': String(reset), 'x-rate-limit-remaining': '0' },
        );
      }
      const body = JSON.parse(await readBody(req)) as {
        text?: string;
        reply?: { in_reply_to_tweet_id?: string };
      };
      const id = String(nextPostId++);
      const text = body.text ?? '';
      const replyTo = body.reply?.in_reply_to_tweet_id;
      fx.posts.push({ id, text, authorId: who.userId, ...(replyTo ? { inReplyTo: replyTo } : {}) });
      // The post is on X: X finds the mentions of known accounts in its text (entities.mentions).
      const author = users.get(who.userId);
      const mentioned = [...text.matchAll(/@(\w{1,15})/g)]
        .map((m) => [...users.values()].find((u) => u.username.toLowerCase() === m[1]!.toLowerCase()))
        .filter((u): u is FakeXUser => !!u);
      fx.publish({
        tweetId: id,
        text,
        userId: who.userId,
        handle: author?.username ?? who.userId,
        mentions: [...new Map(mentioned.map((u) => [u.id, { handle: u.username, userId: u.id }])).values()],
        ...(replyTo ? { replyTo: { tweetId: replyTo, users: [] } } : {}),
      });
      notify();
      if (mode === 'lost_answer') {
        res.socket?.destroy();
        return;
      }
      return send(res, 201, { data: { id, text: body.text, edit_history_tweet_ids: [id] } });
    }
    if (p === '/2/tweets/search/stream/rules') {
      if (!isApp(req)) return problem(res, 401, 'Unauthorized', 'Unauthorized');
      if (req.method === 'GET') {
        return send(res, 200, {
          ...(fx.rules.length ? { data: fx.rules } : {}),
          meta: { sent: new Date().toISOString(), result_count: fx.rules.length },
        });
      }
      const body = JSON.parse(await readBody(req)) as {
        add?: { value: string; tag?: string }[];
        delete?: { ids: string[] };
      };
      const added = (body.add ?? []).map((r) => ({ id: String(nextPostId++), ...r }));
      fx.rules.push(...added);
      if (body.delete) fx.rules = fx.rules.filter((r) => !body.delete!.ids.includes(r.id));
      return send(res, 201, {
        ...(added.length ? { data: added } : {}),
        meta: { sent: new Date().toISOString(), summary: { created: added.length, not_created: 0 } },
      });
    }
    if (req.method === 'GET' && p === '/2/tweets/search/stream') {
      if (!isApp(req)) return problem(res, 401, 'Unauthorized', 'Unauthorized');
      if (fx.streamsDown) {
        fx.streamsRefused++;
        notify();
        res.socket?.destroy();
        return;
      }
      opened++;
      notify();
      const status = fx.streamAnswers.shift();
      if (status) return problem(res, status, 'Stream error', `Answered ${status} on purpose`);
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.write('\r\n');
      streams.add(res);
      const timer = setInterval(() => res.write('\r\n'), keepAliveMs);
      res.on('close', () => {
        clearInterval(timer);
        streams.delete(res);
      });
      return;
    }
    if (req.method === 'GET' && p === '/2/tweets/search/recent') {
      if (!isApp(req) && !userOf(req)) return problem(res, 401, 'Unauthorized', 'Unauthorized');
      const query = url.searchParams.get('query') ?? '';
      const replyTo = /in_reply_to_tweet_id:(\d+)/.exec(query)?.[1];
      if (replyTo) {
        // The bot's own replies (the only posts of the stand-in that are replies by a known author).
        const from = /from:(\w+)/.exec(query)?.[1]?.toLowerCase();
        const found = fx.posts.filter(
          (x) => x.inReplyTo === replyTo && (!from || users.get(x.authorId)?.username.toLowerCase() === from),
        );
        return send(res, 200, {
          ...(found.length
            ? { data: found.map((x) => ({ id: x.id, text: x.text, author_id: x.authorId })) }
            : {}),
          meta: { result_count: found.length },
        });
      }
      const sinceId = url.searchParams.get('since_id');
      const since = BigInt(sinceId ?? '0');
      const found = timeline
        .filter((t) => BigInt(String(t.post.id)) > since && matchesRule(query, String(t.post.text)))
        .reverse(); // newest first
      fx.searches.push(sinceId);
      notify();
      const newest = found[0]?.post.id;
      return send(res, 200, {
        ...(found.length
          ? {
              data: found.map((t) => t.post),
              includes: { users: found.flatMap((t) => t.includes.users) },
            }
          : {}),
        meta: { result_count: found.length, ...(newest ? { newest_id: newest } : {}) },
      });
    }
    problem(res, 404, 'Not Found Error', `No route ${req.method} ${p}`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fx.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fx;
}
