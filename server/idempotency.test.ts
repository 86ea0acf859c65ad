import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, IN_FLIGHT_STALE_MS } from './idempotency';
import { itOnPostgres, setupWallet, uniq, type TestWallet, type User } from '../tests/helpers/server-app';

let w: TestWallet;
beforeAll(async () => {
  w = await setupWallet();
});
afterAll(() => w.close());

const pay = (u: User, key: string | undefined, body: Record<string, unknown>) =>
  w.req('POST', '/v1/payments', {
    token: u.tokens.accessToken,
    ...(key === undefined ? {} : { key }),
    body: { currency: 'EUR', mode: 'private', ...body },
  });

describe('Idempotency-Key', () => {
  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });

  it('same key + same body replays the stored response (status and body) without paying twice', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const key = uniq('k');
    const first = await pay(a, key, { recipientHandle: b.handle, amountCents: 300 });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await pay(a, key, { amountCents: 300, recipientHandle: b.handle });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await w.me(a)).balance.availableCents).toBe(700);
  });

  it('same key + different body → 422 idempotency_key_reused', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const key = uniq('k');
    expect((await pay(a, key, { recipientHandle: b.handle, amountCents: 300 })).status).toBe(201);
    const r = await pay(a, key, { recipientHandle: b.handle, amountCents: 301 });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('idempotency_key_reused');
    // the same key on another endpoint is another request too
    const t = await w.req('POST', '/v1/me/top-ups', {
      token: a.tokens.accessToken,
      key,
      body: { amountCents: 300 },
    });
    expect(t.body.code).toBe('idempotency_key_reused');
    expect((await w.me(a)).balance.availableCents).toBe(700);
  });

  it('keys are scoped per account: another account may use the same key', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user({ balanceCents: 1_000 });
    const c = await w.user();
    const key = uniq('k');
    const ra = await pay(a, key, { recipientHandle: c.handle, amountCents: 100 });
    const rb = await pay(b, key, { recipientHandle: c.handle, amountCents: 100 });
    expect(rb.status).toBe(201);
    expect(rb.body.id).not.toBe(ra.body.id);
    expect((await w.me(c)).balance.availableCents).toBe(200);
  });

  it('missing or malformed key → 400 and nothing happens', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    for (const key of [undefined, '', 'x'.repeat(256), 'clé-accentuée', 'tab\there']) {
      const r = await pay(a, key, { recipientHandle: b.handle, amountCents: 100 });
      expect(r.status, JSON.stringify(key)).toBe(400);
      expect(r.body.code).toBe('invalid_request');
    }
    expect((await pay(a, 'x'.repeat(255), { recipientHandle: b.handle, amountCents: 100 })).status).toBe(201);
    expect((await w.me(a)).balance.availableCents).toBe(900);
  });

  it('rule errors are stored and replayed too (a retry never pays after a refusal)', async () => {
    const a = await w.user({ balanceCents: 100 });
    const b = await w.user();
    const key = uniq('k');
    const r1 = await pay(a, key, { recipientHandle: b.handle, amountCents: 500 });
    expect(r1.body.code).toBe('insufficient_funds');
    await w.req('POST', '/v1/me/top-ups', {
      token: a.tokens.accessToken,
      key: uniq('k'),
      body: { amountCents: 1_000 },
    });
    const r2 = await pay(a, key, { recipientHandle: b.handle, amountCents: 500 });
    expect(r2.status).toBe(422);
    expect(r2.body).toEqual(r1.body);
    expect((await w.me(a)).balance.availableCents).toBe(1_100);
  });

  it('same key while the first request is running → 409 idempotency_in_flight; then the replay', async () => {
    // A top-up goes through the claim-then-execute path: gate it between its claim and its execution.
    const a = await w.user({ balanceCents: 0 });
    const key = uniq('k');
    const topUp = () =>
      w.req('POST', '/v1/me/top-ups', { token: a.tokens.accessToken, key, body: { amountCents: 500 } });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    w.deps.beforeExecute = async (k) => {
      if (k !== key) return;
      entered();
      await gate;
    };
    try {
      const first = topUp();
      await inside;
      const second = await topUp();
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('idempotency_in_flight');
      expect(second.headers.get('retry-after')).toBe('1');
      release();
      expect((await first).status).toBe(201);
      const third = await topUp();
      expect(third.body).toEqual((await first).body);
      expect(third.headers.get('idempotent-replayed')).toBe('true');
    } finally {
      delete w.deps.beforeExecute;
    }
    expect((await w.me(a)).balance.availableCents).toBe(500);
  });

  it('a payment the balance stops covering after its plan is refused by the same statement, never a second call', async () => {
    // Between the plan (which saw 5 €) and the write, another payment of the same payer takes 4 €. The write
    // must refuse inside its own statement: a second call to store the refusal raced the first call's lock
    // release on PostgreSQL and answered 409 idempotency_in_flight for a key nobody else was using.
    const a = await w.user({ balanceCents: 500 });
    const b = await w.user();
    const key = uniq('k');
    const calls: string[] = [];
    const query = w.db.query;
    w.db.query = ((sql: string, params?: unknown[]) => {
      if (sql.includes('create_payment_once')) calls.push(String(params?.[1]));
      // Group commit: one statement for several payments, their keys in its JSON items (item by item) or in
      // its second argument (set-wise).
      if (sql.includes('create_payments_batch'))
        calls.push(...(JSON.parse(String(params?.[0])) as { key: string }[]).map((i) => i.key));
      if (sql.includes('create_payments_set')) calls.push(...(params?.[1] as string[]));
      return query.call(w.db, sql, params);
    }) as typeof w.db.query;
    w.deps.beforeExecute = async (k) => {
      if (k !== key) return;
      const other = await pay(a, uniq('k'), { recipientHandle: b.handle, amountCents: 400 });
      expect(other.status).toBe(201);
    };
    try {
      const r = await pay(a, key, { recipientHandle: b.handle, amountCents: 300 });
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('insufficient_funds');
      expect(calls.filter((k) => k === key)).toHaveLength(1);
    } finally {
      w.db.query = query;
      delete w.deps.beforeExecute;
    }
    const again = await pay(a, key, { recipientHandle: b.handle, amountCents: 300 });
    expect(again.status).toBe(422);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await w.me(a)).balance.availableCents).toBe(100);
  });

  it('concurrent payments with their own keys are refused for insufficient funds, never told in flight', async () => {
    // 5 rounds of 30 payments of 4 € against 50 €: every answer is 201 or 422 insufficient_funds.
    for (let round = 0; round < 5; round++) {
      const a = await w.user({ balanceCents: 5_000 });
      const b = await w.user();
      const replies = await Promise.all(
        Array.from({ length: 30 }, () => pay(a, uniq('k'), { recipientHandle: b.handle, amountCents: 400 })),
      );
      const codes = replies.map((r) => (r.status === 201 ? 'ok' : `${r.status} ${r.body.code}`));
      expect(codes.filter((c) => c !== 'ok' && c !== '422 insufficient_funds')).toEqual([]);
      expect(codes.filter((c) => c === 'ok')).toHaveLength(12);
      expect((await w.me(a)).balance.availableCents).toBe(200);
    }
  });

  // PGlite runs one statement at a time, so there a payment is never seen half-written (next test).
  itOnPostgres(
    'a payment whose key is being written by another request → 409 idempotency_in_flight',
    async () => {
      const a = await w.user({ balanceCents: 1_000 });
      const b = await w.user();
      const key = uniq('k');
      const [me] = await w.db.query<{ id: string }>(`SELECT id FROM accounts WHERE email = $1`, [a.email]);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const holding = new Promise<void>((r) => (locked = r));
      // What a request writing this key holds while its statement runs: the key's transaction lock.
      const writer = w.db.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1 || E'\\n' || $2, 7366002))`, [
          me!.id,
          key,
        ]);
        locked();
        await gate;
      });
      try {
        await holding;
        const r = await pay(a, key, { recipientHandle: b.handle, amountCents: 100 });
        expect(r.status).toBe(409);
        expect(r.body.code).toBe('idempotency_in_flight');
        expect(r.headers.get('retry-after')).toBe('1');
      } finally {
        release();
        await writer;
      }
      expect((await w.me(a)).balance.availableCents).toBe(1_000);
      const retry = await pay(a, key, { recipientHandle: b.handle, amountCents: 100 });
      expect(retry.status).toBe(201);
      expect((await w.me(a)).balance.availableCents).toBe(900);
    },
  );

  it('two requests with one key: whichever writes second replays the first, and pays nothing', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const key = uniq('k');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let calls = 0;
    // The first request stops after deciding, before writing; the second overtakes it.
    w.deps.beforeExecute = async (k) => {
      if (k !== key || calls++ > 0) return;
      entered();
      await gate;
    };
    try {
      const first = pay(a, key, { recipientHandle: b.handle, amountCents: 100 });
      await inside;
      const second = await pay(a, key, { recipientHandle: b.handle, amountCents: 100 });
      expect(second.status).toBe(201);
      expect(second.headers.get('idempotent-replayed')).toBeNull();
      release();
      const late = await first;
      expect(late.status).toBe(201);
      expect(late.headers.get('idempotent-replayed')).toBe('true');
      expect(late.body).toEqual(second.body);
    } finally {
      delete w.deps.beforeExecute;
    }
    expect((await w.me(a)).balance.availableCents).toBe(900);
    expect((await w.me(b)).balance.availableCents).toBe(100);
  });

  it('a claim whose process died is taken over after a minute', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const key = uniq('k');
    // what a killed process leaves behind: a claimed key without a response
    const [me] = await w.db.query<{ id: string }>(`SELECT id FROM accounts WHERE email = $1`, [a.email]);
    const body = { recipientHandle: b.handle, amountCents: 100, currency: 'EUR', mode: 'private' };
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256')
      .update(`POST /v1/payments\n${canonicalJson(body)}`)
      .digest('base64url');
    await w.db.query(
      `INSERT INTO idempotency_keys (account_id, key, request_hash, locked_at, created_at) VALUES ($1, $2, $3, $4, $4)`,
      [me!.id, key, hash, w.clock.now()],
    );
    expect((await pay(a, key, body)).status).toBe(409);
    w.clock.advance(IN_FLIGHT_STALE_MS + 1);
    try {
      expect((await pay(a, key, body)).status).toBe(201);
    } finally {
      w.clock.reset();
    }
  });

  it('the same key sent 20 times at once pays once', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const key = uniq('k');
    const all = await Promise.all(
      Array.from({ length: 20 }, () => pay(a, key, { recipientHandle: b.handle, amountCents: 100 })),
    );
    const ok = all.filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    expect(all.every((r) => r.status === 201 || r.body.code === 'idempotency_in_flight')).toBe(true);
    expect((await w.me(b)).balance.availableCents).toBe(100);
  });
});

describe('concurrency', () => {
  it('200 concurrent payments from one payer never overdraw', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const c = await w.user({ kind: 'business' });
    const all = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        pay(a, uniq('k'), {
          recipientHandle: i % 3 === 0 ? c.handle : i % 3 === 1 ? b.handle : uniq('n'),
          amountCents: 100,
          mode: i % 5 === 0 ? 'tweet' : 'private',
        }),
      ),
    );
    const ok = all.filter((r) => r.status === 201);
    const refused = all.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(100);
    expect(refused.every((r) => r.status === 422 && r.body.code === 'insufficient_funds')).toBe(true);
    expect((await w.me(a)).balance.availableCents).toBe(0);
  });
});
