/**
 * Pull mode against the local stand-in for X: the rule is made sure of, a payment post arrives through the
 * stream, a dropped connection and HTTP errors are survived, the gap is filled from recent search (nothing
 * paid twice), and of two instances on one database exactly one holds the stream until it stops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeX, type FakeX } from '../../tests/fake-x/server';
import {
  BOT_ID,
  itOnPostgres,
  setupWallet,
  type TestWallet,
  type User,
} from '../../tests/helpers/server-app';
import { STREAM_LOCK_KEY, startStreamIngest, streamRule, type StreamIngest } from './stream';

let w: TestWallet;
let fx: FakeX;
let ingest: StreamIngest;
const fast = { networkBaseMs: 1, httpBaseMs: 1, rateLimitBaseMs: 1, leaderRetryMs: 5 };

beforeAll(async () => {
  [w, fx] = await Promise.all([setupWallet(), startFakeX({ keepAliveMs: 50 })]);
  w.deps.x = {
    publicUrl: 'https://wallet.example',
    apiUrl: fx.url,
    authorizeUrl: `${fx.url}/i/oauth2/authorize`,
    timeoutMs: 5_000,
  };
  ingest = startStreamIngest(w.deps, { bearerToken: fx.bearerToken, ...fast });
  await fx.streamConnections(1);
});
afterAll(async () => {
  await ingest?.stop();
  await fx.close();
  await w.close();
});

let seq = 0;
const tweetId = () => String(1_890_000_000_000_000_000n + BigInt(Date.now() % 1e9) * 1000n + BigInt(seq++));
const publish = (a: User, b: User, cents: number) => {
  const id = tweetId();
  fx.publish({
    tweetId: id,
    text: `@SMoneyfr #envoyer ${cents / 100}€ @${b.handle}`,
    userId: a.xUserId,
    handle: a.handle,
    mentions: [
      { handle: 'SMoneyfr', userId: BOT_ID },
      { handle: b.handle, userId: b.xUserId },
    ],
  });
  return id;
};
/** Waits until the post has been decided (checked after each event the wallet may have stored). */
async function decided(id: string): Promise<string[]> {
  for (;;) {
    const rows = await w.db.query<{ outcome: string }>(`SELECT outcome FROM x_tweets WHERE tweet_id = $1`, [
      id,
    ]);
    if (rows.length && rows[0]!.outcome !== 'processing') return rows.map((r) => r.outcome);
    await new Promise((r) => setImmediate(r));
  }
}
const payments = async (u: User) =>
  (await w.req('GET', '/v1/payments?status=awaiting_confirmation', { token: u.tokens.accessToken })).body
    .items as { tweetId: string }[];

describe('filtered stream', () => {
  it('adds its rule once and reads a payment post from the stream', async () => {
    expect(fx.rules.map((r) => r.value)).toEqual([streamRule(w.deps)]);
    expect(streamRule(w.deps)).toBe('@SMoneyfr #envoyer');
    const a = await w.user({ balanceCents: 5_000 });
    const b = await w.user();
    const id = publish(a, b, 300);
    expect(await decided(id)).toEqual(['awaiting_confirmation']);
    expect((await payments(a)).map((p) => p.tweetId)).toEqual([id]);
    const [ev] = await w.db.query<{ source: string }>(
      `SELECT e.source FROM x_events e JOIN x_tweets t ON t.event_id = e.id WHERE t.tweet_id = $1`,
      [id],
    );
    expect(ev?.source).toBe('stream');
  });

  it('a dropped connection, then 503 and 429: reconnects, and the post made meanwhile comes from search, once', async () => {
    const a = await w.user({ balanceCents: 5_000 });
    const b = await w.user();
    const before = publish(a, b, 100); // seen on the stream: sets the since_id
    await decided(before);
    const opened = fx.requests.filter((r) => r === 'GET /2/tweets/search/stream').length;
    fx.streamAnswers.push(503, 429);
    fx.dropStreams();
    const during = publish(a, b, 200); // no stream is open: only search can find it
    await fx.streamConnections(opened + 3);
    expect(await decided(during)).toEqual(['awaiting_confirmation']);
    const [ev] = await w.db.query<{ source: string }>(
      `SELECT e.source FROM x_events e JOIN x_tweets t ON t.event_id = e.id WHERE t.tweet_id = $1`,
      [during],
    );
    expect(ev?.source).toBe('search');
    const after = publish(a, b, 400);
    await decided(after);
    expect((await payments(a)).map((p) => p.tweetId).sort()).toEqual([before, during, after].sort());
    const searched = fx.requests.filter((r) => r === 'GET /2/tweets/search/recent');
    expect(searched.length).toBeGreaterThan(0);
  });

  it('two instances: one holds the stream; the other takes over when it stops', async () => {
    const second = startStreamIngest(w.deps, { bearerToken: fx.bearerToken, ...fast });
    try {
      expect(ingest.leading()).toBe(true);
      expect(second.leading()).toBe(false);
      const opened = fx.requests.filter((r) => r === 'GET /2/tweets/search/stream').length;
      await ingest.stop();
      await fx.streamConnections(opened + 1);
      expect(second.leading()).toBe(true);
      const a = await w.user({ balanceCents: 5_000 });
      const b = await w.user();
      const id = publish(a, b, 500);
      expect(await decided(id)).toEqual(['awaiting_confirmation']);
    } finally {
      await second.stop();
    }
  });

  itOnPostgres(
    'PostgreSQL: when the lock’s connection dies, the stream is held again, by exactly one instance',
    async () => {
      const first = startStreamIngest(w.deps, { bearerToken: fx.bearerToken, ...fast });
      const second = startStreamIngest(w.deps, { bearerToken: fx.bearerToken, ...fast });
      try {
        const opened = fx.requests.filter((r) => r === 'GET /2/tweets/search/stream').length;
        await fx.streamConnections(opened + 1);
        const holder = first.leading() ? first : second;
        const other = holder === first ? second : first;
        expect(other.leading()).toBe(false);
        // The holder's process "dies": its session ends, and with it the advisory lock.
        await w.db.query(
          `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`,
          [STREAM_LOCK_KEY],
        );
        await fx.streamConnections(opened + 2);
        expect(first.leading() !== second.leading()).toBe(true);
        const a = await w.user({ balanceCents: 5_000 });
        const b = await w.user();
        const id = publish(a, b, 600);
        expect(await decided(id)).toEqual(['awaiting_confirmation']);
      } finally {
        await first.stop();
        await second.stop();
      }
    },
  );
});

describe('filtered stream, first connection', () => {
  it('with no payment post on X yet: a post made during the first disconnection is found by search', async () => {
    const [w2, fx2] = await Promise.all([setupWallet(), startFakeX({ keepAliveMs: 50 })]);
    w2.deps.x = { ...w.deps.x!, apiUrl: fx2.url, authorizeUrl: `${fx2.url}/i/oauth2/authorize` };
    const first = startStreamIngest(w2.deps, { bearerToken: fx2.bearerToken, ...fast });
    try {
      await fx2.streamConnections(1);
      // The starting point was taken before connecting: nothing on X yet, so no since_id.
      expect(fx2.searches).toEqual([null]);
      const a = await w2.user({ balanceCents: 5_000 });
      const b = await w2.user();
      fx2.streamsDown = true;
      fx2.dropStreams();
      await fx2.streamRefusals(1);
      const id = String(1_880_000_000_000_000_000n + BigInt(seq++));
      fx2.publish({
        tweetId: id,
        text: `@SMoneyfr #envoyer 3€ @${b.handle}`,
        userId: a.xUserId,
        handle: a.handle,
        mentions: [
          { handle: 'SMoneyfr', userId: BOT_ID },
          { handle: b.handle, userId: b.xUserId },
        ],
      });
      fx2.streamsDown = false;
      await fx2.streamConnections(2);
      const rows = async () =>
        w2.db.query<{ outcome: string; source: string }>(
          `SELECT t.outcome, e.source FROM x_tweets t JOIN x_events e ON e.id = t.event_id WHERE t.tweet_id = $1`,
          [id],
        );
      await expect.poll(rows).toEqual([{ outcome: 'awaiting_confirmation', source: 'search' }]);
      expect(fx2.searches.slice(0, 2)).toEqual([null, null]);
    } finally {
      await first.stop();
      await fx2.close();
      await w2.close();
    }
  });
});
