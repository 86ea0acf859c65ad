/**
 * A real wallet server for end-to-end tests: PGlite in memory (or PostgreSQL when the test passes a
 * databaseUrl), an ephemeral port, sandbox mode, and a fixed X consumer secret so tests can deliver
 * tweets to the webhook signed exactly as X would.
 *
 *   const wallet = await startTestWallet({ seed: 'server/seed/demo.json' });
 *   const tokens = await wallet.login('me@demo.test', 'demo-password');
 *   await wallet.deliverTweet({ tweetId: '1', text: '@SMoneyfr #envoyer 5EUR @alice',
 *     userId: '900000000000000001', handle: 'tp_me', mentions: [{ handle: 'alice', userId: '100000000000000001' }] });
 *   await wallet.close();
 */
import os from 'node:os';
import path from 'node:path';
import type { TokenPair } from '../../core/wallet-types';
import type { SeedFile } from '../../server/seed';
import { startWalletServer, type WalletServerOptions } from '../../server/start';
import { tweetCreateEvents, tweetDeleteEvents, tweetObject, type TweetInput } from '../helpers/x-payload';
import { xSignature } from '../../server/x/signature';

/** The X consumer secret of every test wallet. */
export const TEST_X_CONSUMER_SECRET = 'tweetez-payez-test-consumer-secret';
/** X user id of @SMoneyfr in the fixtures (tests/fixtures/x/data.ts). */
export const BOT_X_USER_ID = '100000000000000009';
export const DEMO_SEED = path.resolve('server/seed/demo.json');
export const DEMO_PASSWORD = 'demo-password';

/** A tweet to deliver: its id, text, author and mentions (`forUserId`, retweets and quotes are not needed here). */
export type DeliverTweetInput = Pick<
  TweetInput,
  'tweetId' | 'text' | 'userId' | 'handle' | 'mentions' | 'replyTo'
>;

export interface TestWallet {
  url: string;
  close(): Promise<void>;
  login(email: string, password: string): Promise<TokenPair>;
  /** POSTs a signed `tweet_create_events` payload to /v1/webhooks/x; resolves after the server answered 200. */
  deliverTweet(t: DeliverTweetInput): Promise<void>;
  /** POSTs a signed `tweet_delete_events` payload. */
  deleteTweet(t: { tweetId: string; userId: string }): Promise<void>;
  /** One sweeper pass now (expiry of due payments). */
  sweep(): Promise<void>;
}

export async function startTestWallet(
  opts: { seed?: string | SeedFile } & Pick<
    WalletServerOptions,
    'databaseUrl' | 'clock' | 'config' | 'log' | 'x' | 'xBotUserId' | 'replies'
  > = {},
): Promise<TestWallet> {
  const server = await startWalletServer({
    port: 0,
    dataDir: 'memory://',
    seed: opts.seed ?? DEMO_SEED,
    sandbox: true,
    xConsumerSecret: TEST_X_CONSUMER_SECRET,
    sweepIntervalMs: 1000,
    log: opts.log ?? false,
    scryptN: 1024, // test passwords: fast to hash
    pgliteTemplateDir: path.join(os.tmpdir(), 'tweetez-payez-test'),
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.x ? { x: opts.x } : {}),
    ...(opts.xBotUserId ? { xBotUserId: opts.xBotUserId } : {}),
    ...(opts.replies ? { replies: opts.replies } : {}),
  });
  const postSigned = async (payload: unknown) => {
    const body = JSON.stringify(payload);
    const res = await fetch(`${server.url}/v1/webhooks/x`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-twitter-webhooks-signature': xSignature(TEST_X_CONSUMER_SECRET, body),
      },
      body,
    });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
  };
  return {
    url: server.url,
    close: () => server.close(),
    async login(email, password) {
      const res = await fetch(`${server.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as TokenPair;
    },
    deliverTweet: (t) => postSigned(tweetCreateEvents(BOT_X_USER_ID, [tweetObject(t)])),
    deleteTweet: (t) => postSigned(tweetDeleteEvents(BOT_X_USER_ID, [t])),
    async sweep() {
      await server.sweep();
    },
  };
}
