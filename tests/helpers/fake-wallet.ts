/**
 * Test helper: an in-memory wallet behind a fake `fetch` (the HTTP boundary), close enough to the real one for
 * the background's handlers: bearer tokens with refresh, Idempotency-Keys replayed, payments listed newest first.
 * The real server is exercised end to end in tests/e2e. Not used by production code.
 */
import { formatTweetAmount } from '../../core/money';
import { DEFAULT_CONFIG } from '../../core/rules';
import { createFakeFetch, json, problem, type RecordedCall } from './fake-fetch';
import type { Me, Payment, Recipient, WalletConfig } from '../../core/wallet-types';

export const PASSWORD = 'correct horse battery';

export const CONFIG: WalletConfig = DEFAULT_CONFIG;

export function createFakeWallet() {
  const me: Me = {
    id: 'acc-me',
    email: 'me@example.test',
    displayName: 'Me',
    kind: 'person',
    xHandle: 'tp_me',
    xUserId: '900',
    balance: { availableCents: 10_000, heldCents: 0 },
    currency: 'EUR',
  };
  const recipients: Record<string, Recipient> = {
    bob: {
      handle: 'bob',
      registered: true,
      displayName: 'Bob',
      kind: 'person',
      limitCents: 25_000,
      feeBps: 0,
    },
    nowallet: { handle: 'nowallet', registered: false, kind: 'person', limitCents: 25_000, feeBps: 0 },
  };
  const payments: Payment[] = [];
  const byKey = new Map<string, { status: number; body: unknown; request: string }>();
  const tokens = { access: '', refresh: '', n: 0 };
  /** 'drop': the server executes, but the answer is lost (worker killed, connection reset). */
  let answer: 'ok' | 'drop' = 'ok';
  /** Checks run when a payment request arrives (e.g. "was the intent saved first?"). */
  const onCreate: ((call: RecordedCall) => void | Promise<void>)[] = [];

  const pair = () => {
    tokens.n++;
    tokens.access = `A${tokens.n}`;
    tokens.refresh = `R${tokens.n}`;
    return { accessToken: tokens.access, refreshToken: tokens.refresh, tokenType: 'Bearer', expiresIn: 900 };
  };
  const authed = (route: (call: RecordedCall) => Response | Promise<Response>) => (call: RecordedCall) =>
    call.headers.authorization === `Bearer ${tokens.access}` ? route(call) : problem(401, 'unauthorized');

  const newPayment = (p: Partial<Payment> & Pick<Payment, 'amountCents' | 'status' | 'mode'>): Payment => {
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, payments.length)).toISOString();
    const payment: Payment = {
      id: `pay-${payments.length + 1}`,
      direction: 'sent',
      payer: { handle: me.xHandle, displayName: me.displayName },
      recipient: { handle: 'bob', displayName: 'Bob', registered: true },
      feeCents: 0,
      currency: 'EUR',
      message: null,
      tweetText: null,
      tweetId: null,
      replyToTweetId: null,
      createdAt: at,
      updatedAt: at,
      expiresAt: null,
      ...p,
    };
    payments.unshift(payment);
    return payment;
  };

  const fake = createFakeFetch({
    'GET /v1/config': () => json(200, CONFIG),
    'POST /v1/auth/login': (c) => {
      const b = c.body as { email: string; password: string };
      return b.email === me.email && b.password === PASSWORD
        ? json(200, pair())
        : problem(401, 'unauthorized');
    },
    'POST /v1/auth/refresh': (c) =>
      (c.body as { refreshToken: string }).refreshToken === tokens.refresh
        ? json(200, pair())
        : problem(401, 'unauthorized'),
    'POST /v1/auth/logout': authed(() => {
      tokens.access = tokens.refresh = 'revoked';
      return new Response(null, { status: 204 });
    }),
    'GET /v1/me': authed(() => json(200, me)),
    'GET /v1/recipients/:handle': authed((c) => {
      const r = recipients[(c.params.handle ?? '').toLowerCase()];
      return r ? json(200, r) : problem(404, 'not_found', 'no such X account');
    }),
    'GET /v1/payments': authed((c) => {
      const q = new URL(`http://x${c.path}`).searchParams;
      const status = q.get('status');
      const limit = Number(q.get('limit') ?? 20);
      const statuses = status ? status.split(',') : null;
      const items = payments.filter((p) => !statuses || statuses.includes(p.status)).slice(0, limit);
      return json(200, { items, nextCursor: null });
    }),
    'GET /v1/payments/:id': authed((c) => {
      const p = payments.find((x) => x.id === c.params.id);
      return p ? json(200, p) : problem(404, 'not_found');
    }),
    'POST /v1/payments': authed(async (c) => {
      for (const check of onCreate) await check(c);
      const key = c.headers['idempotency-key'];
      if (!key) return problem(400, 'invalid_request');
      const request = JSON.stringify(c.body);
      let stored = byKey.get(key);
      if (stored && stored.request !== request) return problem(422, 'idempotency_key_reused');
      if (!stored) {
        const b = c.body as {
          recipientHandle: string;
          amountCents: number;
          mode: 'tweet' | 'private';
          message?: string;
          replyToTweetId?: string;
        };
        const r = recipients[b.recipientHandle.toLowerCase()];
        if (b.amountCents > 25_000) {
          stored = {
            status: 422,
            body: {
              type: 'about:blank',
              title: 'limit',
              status: 422,
              detail: 'Over the 250 € limit.',
              code: 'limit_exceeded',
            },
            request,
          };
        } else {
          const tweetText = `@SMoneyfr #envoyer ${formatTweetAmount(b.amountCents)}EUR @${b.recipientHandle}${b.message ? ` ${b.message}` : ''}`;
          const p = newPayment({
            amountCents: b.amountCents,
            mode: b.mode,
            status: b.mode === 'tweet' ? 'awaiting_tweet' : r?.registered ? 'completed' : 'claimable',
            recipient: {
              handle: b.recipientHandle,
              displayName: r?.displayName ?? null,
              registered: !!r?.registered,
            },
            message: b.message ?? null,
            tweetText: b.mode === 'tweet' ? tweetText : null,
            replyToTweetId: b.replyToTweetId ?? null,
          });
          stored = { status: 201, body: p, request };
        }
        byKey.set(key, stored);
      }
      if (answer === 'drop') throw new TypeError('connection reset');
      return json(stored.status, stored.body);
    }),
    'POST /v1/payments/:id/confirm': authed((c) => {
      const p = payments.find((x) => x.id === c.params.id);
      if (!p) return problem(404, 'not_found');
      if (p.status !== 'awaiting_confirmation') return problem(409, 'conflict');
      p.status = 'completed';
      return json(200, p);
    }),
    'POST /v1/payments/:id/cancel': authed((c) => {
      const p = payments.find((x) => x.id === c.params.id);
      if (!p) return problem(404, 'not_found');
      p.status = 'canceled';
      return json(200, p);
    }),
  });

  return {
    ...fake,
    me,
    payments,
    newPayment,
    onCreate,
    setAnswer: (a: typeof answer) => (answer = a),
    /** The server forgets the access token (expired). */
    expireAccess: () => (tokens.access = 'expired'),
    /** The whole session is revoked server-side. */
    revoke: () => (tokens.access = tokens.refresh = 'revoked'),
    paymentCalls: () => fake.calls.filter((c) => c.method === 'POST' && c.path === '/v1/payments'),
  };
}

export type FakeWallet = ReturnType<typeof createFakeWallet>;
