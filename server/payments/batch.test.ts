/**
 * Group commit of new payments, made deterministic: the writer is held on its first batch (a test seam), the
 * next payments queue one by one (each waited for through the queue's own event, never a sleep), then the
 * writer is released and writes them all in one statement. Runs on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itOnPostgres, setupWallet, uniq, type TestWallet, type User } from '../../tests/helpers/server-app';
import { PaymentBatcher, type PaymentWrite } from './batch';

/** A promise opened from outside. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

/** The writer's events: batches entering `beforeWrite`, the queue's length, and a hold on the next batch. */
function seams() {
  let hold: Promise<void> | undefined;
  const waiting: { when: (v: { entered: number[]; queued: number }) => boolean; go: () => void }[] = [];
  const state = { entered: [] as number[], queued: 0 };
  const check = () => {
    for (const w of [...waiting]) {
      if (w.when(state)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.go();
      }
    }
  };
  return {
    state,
    holdNext(): () => void {
      const g = gate();
      hold = g.opened;
      return g.open;
    },
    until(when: (v: { entered: number[]; queued: number }) => boolean): Promise<void> {
      return new Promise<void>((go) => {
        waiting.push({ when, go });
        check();
      });
    },
    options: {
      beforeWrite: async (size: number) => {
        state.entered.push(size);
        state.queued = 0;
        check();
        const h = hold;
        hold = undefined;
        if (h) await h;
      },
      queued: (length: number) => {
        state.queued = length;
        check();
      },
    },
  };
}

/** A payment write as the route hands it to the batcher, answered 201 (a payment) or 422 (none). */
function writeOf(
  account: string,
  key: string,
  payment: object | null,
  accounts: string[] = [],
  deltas: number[] = [],
): PaymentWrite {
  const at = new Date();
  return {
    account,
    key,
    hash: `hash-${key}`,
    at,
    staleBefore: new Date(at.getTime() - 60_000),
    status: payment ? 201 : 422,
    body: JSON.stringify({ key }),
    payment,
    accounts,
    deltas,
    debits: [],
    credits: [],
    amounts: [],
    kinds: [],
    shortStatus: 422,
    shortBody: '{}',
  };
}

const s = seams();
let w: TestWallet;
beforeAll(async () => {
  w = await setupWallet({ batch: s.options });
});
afterAll(() => w.close()); // also checks the ledger's invariants

const pay = (u: User, key: string, body: Record<string, unknown>) =>
  w.req('POST', '/v1/payments', {
    token: u.tokens.accessToken,
    key,
    body: { currency: 'EUR', mode: 'private', ...body },
  });

describe('group commit of new payments', () => {
  it('a batch with a refused payment, a replay and a reused key commits the others, in the order accepted', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const c = await w.user({ balanceCents: 500 });
    const d = await w.user();
    const k = [uniq('k'), uniq('k'), uniq('k'), uniq('k')];
    const before = s.state.entered.length;

    // Nothing in flight: the first payment goes out at once, alone; the writer is held inside that batch.
    const release = s.holdNext();
    const first = pay(a, k[0]!, { recipientHandle: b.handle, amountCents: 100 });
    await s.until((v) => v.entered.length === before + 1);
    expect(s.state.entered[before]).toBe(1);

    // Meanwhile, payments queue one after the other (each planned while a still shows 10 €).
    const queued: ReturnType<typeof pay>[] = [];
    const send = async (u: User, key: string, body: Record<string, unknown>) => {
      const n = queued.length + 1;
      queued.push(pay(u, key, body));
      await s.until((v) => v.queued === n);
    };
    await send(a, k[1]!, { recipientHandle: b.handle, amountCents: 700 }); // fits: 10 − 1 − 7 = 2 €
    await send(a, k[2]!, { recipientHandle: b.handle, amountCents: 700 }); // no longer fits: refused
    await send(c, k[3]!, { recipientHandle: d.handle, amountCents: 200 }); // another payer: stored
    await send(a, k[1]!, { recipientHandle: b.handle, amountCents: 700 }); // same key, same request: replay
    await send(c, k[3]!, { recipientHandle: d.handle, amountCents: 201 }); // same key, another request
    release();

    const r0 = await first;
    const [r1, r2, r3, r4, r5] = await Promise.all(queued);
    // One batch of one, then one batch of five.
    expect(s.state.entered.slice(before)).toEqual([1, 5]);
    expect(r0.status).toBe(201);
    expect(r1!.status).toBe(201);
    expect(r2!.status).toBe(422);
    expect(r2!.body.code).toBe('insufficient_funds');
    expect(r3!.status).toBe(201);
    expect(r4!.status).toBe(201);
    expect(r4!.headers.get('idempotent-replayed')).toBe('true');
    expect(r4!.body).toEqual(r1!.body);
    expect(r5!.status).toBe(422);
    expect(r5!.body.code).toBe('idempotency_key_reused');

    expect((await w.me(a)).balance.availableCents).toBe(200);
    expect((await w.me(b)).balance.availableCents).toBe(800);
    expect((await w.me(c)).balance.availableCents).toBe(300);
    expect((await w.me(d)).balance.availableCents).toBe(200);
    // The refusal was stored under its key like any answer.
    const again = await pay(a, k[2]!, { recipientHandle: b.handle, amountCents: 700 });
    expect(again.status).toBe(422);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // Each payment once, in the order accepted: a's statement lists 1 € then 7 €.
    const list = await w.req('GET', '/v1/payments?limit=10', { token: a.tokens.accessToken });
    expect((list.body.items as { amountCents: number }[]).map((p) => p.amountCents).reverse()).toEqual([
      100, 700,
    ]);
  });

  it('an item that fails for an unexpected reason fails alone; the others of its statement commit', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const me = await w.me(a);
    const item = (key: string, payment: object | null) => writeOf(me.id, key, payment);
    const sizes: number[] = [];
    const hold = gate();
    const entered = gate();
    let queued = 0;
    const enough = gate();
    const batcher = new PaymentBatcher(w.db, {
      beforeWrite: async (size) => {
        sizes.push(size);
        if (sizes.length === 1) {
          entered.open();
          await hold.opened;
        }
      },
      queued: (n) => {
        queued = n;
        if (queued === 3) enough.open();
      },
    });
    const [k0, k1, k2, k3] = [uniq('k'), uniq('k'), uniq('k'), uniq('k')];
    const first = batcher.write(item(k0, null));
    await entered.opened; // the writer holds the first batch: what follows queues for the next one
    // A payment row naming a payer that does not exist: a foreign-key violation inside its item.
    const broken = { id: crypto.randomUUID(), payer_id: 'no-such-account', amount_cents: 1, mode: 'private' };
    const outcomes = [
      batcher.write(item(k1, null)),
      batcher.write(item(k2, broken)),
      batcher.write(item(k3, null)),
    ];
    await enough.opened;
    hold.open();
    expect((await first).outcome).toBe('stored');
    const [o1, o2, o3] = await Promise.allSettled(outcomes);
    expect(sizes).toEqual([1, 3]);
    expect(o1).toMatchObject({ status: 'fulfilled', value: { outcome: 'stored' } });
    expect(o2?.status).toBe('rejected');
    expect(String((o2 as PromiseRejectedResult).reason)).toMatch(/payment not written: 23/);
    expect(o3).toMatchObject({ status: 'fulfilled', value: { outcome: 'stored' } });
    const keys = await w.db.query<{ key: string }>(
      `SELECT key FROM idempotency_keys WHERE account_id = $1 AND key = ANY($2::text[]) ORDER BY key`,
      [me.id, [k0, k1, k2, k3]],
    );
    expect(keys.map((r) => r.key)).toEqual([k0, k1, k3].sort());
    // The set-wise pass met the failing insert, rolled it back, and the batch went item by item.
    expect(batcher.stats()).toMatchObject({
      batches: 2,
      payments: 4,
      sizes: { 1: 1, 3: 1 },
      itemByItem: { error: 1 },
    });
  });
});

/** How many batches went item by item, by reason, since `before` (a copy of an earlier `itemByItem`). */
const itemByItemSince = (before: Record<string, number>) => {
  const now = w.deps.batcher!.stats().itemByItem;
  return Object.fromEntries(
    Object.entries(now)
      .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
      .filter(([, v]) => v !== 0),
  );
};

/** Holds the writer on a first payment of `lead`, queues `rest` one by one, releases: `rest` is one batch. */
async function oneBatch(
  lead: () => ReturnType<typeof pay>,
  rest: (() => ReturnType<typeof pay>)[],
): Promise<Awaited<ReturnType<typeof pay>>[]> {
  const before = s.state.entered.length;
  const release = s.holdNext();
  const first = lead();
  await s.until((v) => v.entered.length === before + 1);
  const queued: ReturnType<typeof pay>[] = [];
  for (const send of rest) {
    const n = queued.length + 1;
    queued.push(send());
    await s.until((v) => v.queued === n);
  }
  release();
  expect((await first).status).toBe(201);
  const out = await Promise.all(queued);
  expect(s.state.entered.slice(before)).toEqual([1, rest.length]);
  return out;
}

describe('the set-wise pass of a batch, and its fallback item by item', () => {
  it('new keys and covered debits: the batch is written set-wise, a credit covering a later debit of the same batch', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const c = await w.user();
    const before = { ...w.deps.batcher!.stats().itemByItem };
    const sent: [User, string, Record<string, unknown>][] = [
      [a, uniq('k'), { recipientHandle: b.handle, amountCents: 300 }],
      // b has nothing yet: the payment before it in the batch is what covers it.
      [b, uniq('k'), { recipientHandle: c.handle, amountCents: 200 }],
      [a, uniq('k'), { recipientHandle: b.handle, amountCents: 100 }],
    ];
    const out = await oneBatch(
      () => pay(a, uniq('k'), { recipientHandle: c.handle, amountCents: 10 }),
      sent.map(
        ([u, k, body]) =>
          () =>
            pay(u, k, body),
      ),
    );
    expect(out.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(itemByItemSince(before)).toEqual({});
    expect((await w.me(a)).balance.availableCents).toBe(590);
    expect((await w.me(b)).balance.availableCents).toBe(200);
    expect((await w.me(c)).balance.availableCents).toBe(210);
    // Same payer, order accepted.
    const list = await w.req('GET', '/v1/payments?limit=10', { token: a.tokens.accessToken });
    expect((list.body.items as { amountCents: number }[]).map((p) => p.amountCents).reverse()).toEqual([
      10, 300, 100,
    ]);
    // The stored answers are the ones given: each key replays its own.
    for (const [i, [u, k, body]] of sent.entries()) {
      const replay = await pay(u, k, body);
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(out[i]!.body);
    }
  });

  it('a debit the batch does not cover in its order: that payment refused alone, set-wise, as item by item', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const c = await w.user();
    const d = await w.user();
    const before = { ...w.deps.batcher!.stats().itemByItem };
    const kb = uniq('k');
    const [rb, ra, rd, rc] = await oneBatch(
      () => pay(a, uniq('k'), { recipientHandle: c.handle, amountCents: 10 }),
      [
        // Accepted before the credit that would have covered it: refused, as item by item.
        () => pay(b, kb, { recipientHandle: c.handle, amountCents: 200 }),
        () => pay(a, uniq('k'), { recipientHandle: b.handle, amountCents: 300 }),
        // d has nothing, and the refused payment above credits nobody: refused too.
        () => pay(d, uniq('k'), { recipientHandle: a.handle, amountCents: 5 }),
        // c holds the 10 of the first batch only: covered.
        () => pay(c, uniq('k'), { recipientHandle: d.handle, amountCents: 10 }),
      ],
    );
    expect(rb!.status).toBe(422);
    expect(rb!.body.code).toBe('insufficient_funds');
    expect(ra!.status).toBe(201);
    expect(rd!.status).toBe(422);
    expect(rd!.body.code).toBe('insufficient_funds');
    expect(rc!.status).toBe(201);
    // Decided in the set-wise pass: no batch went item by item.
    expect(itemByItemSince(before)).toEqual({});
    expect((await w.me(a)).balance.availableCents).toBe(690);
    expect((await w.me(b)).balance.availableCents).toBe(300);
    expect((await w.me(c)).balance.availableCents).toBe(0);
    expect((await w.me(d)).balance.availableCents).toBe(10);
    // The refusal is b's stored answer for its key, the same answer item by item gives.
    const again = await pay(b, kb, { recipientHandle: c.handle, amountCents: 200 });
    expect(again.status).toBe(422);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(rb!.body);
    // Nothing of the refused payments was written: b's and d's statements list only what they received.
    const listB = await w.req('GET', '/v1/payments?limit=10', { token: b.tokens.accessToken });
    expect((listB.body.items as { amountCents: number }[]).map((p) => p.amountCents)).toEqual([300]);
  });

  it('a key already stored: item by item, replayed, the others of the batch stored', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const k = uniq('k');
    const first = await pay(a, k, { recipientHandle: b.handle, amountCents: 100 });
    expect(first.status).toBe(201);
    const before = { ...w.deps.batcher!.stats().itemByItem };
    const [replay, other] = await oneBatch(
      () => pay(a, uniq('k'), { recipientHandle: b.handle, amountCents: 1 }),
      [
        () => pay(a, k, { recipientHandle: b.handle, amountCents: 100 }),
        () => pay(a, uniq('k'), { recipientHandle: b.handle, amountCents: 50 }),
      ],
    );
    expect(replay!.status).toBe(201);
    expect(replay!.headers.get('idempotent-replayed')).toBe('true');
    expect(replay!.body).toEqual(first.body);
    expect(other!.status).toBe(201);
    expect(itemByItemSince(before)).toEqual({ key: 1 });
    expect((await w.me(a)).balance.availableCents).toBe(849);
  });

  it('an account that does not exist: item by item, that payment fails alone, the other of its batch stored', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const me = await w.me(a);
    const write = (key: string, payment: object | null, accounts: string[], deltas: number[]) =>
      writeOf(me.id, key, payment, accounts, deltas);
    const batcher = new PaymentBatcher(w.db);
    const ghost = { id: crypto.randomUUID(), payer_id: me.id, amount_cents: 1, mode: 'private' };
    const [ok, failed] = await Promise.allSettled([
      batcher.write(write(uniq('k'), null, [], [])),
      batcher.write(write(uniq('k'), ghost, ['no-such-account'], [5])),
    ]);
    expect(batcher.stats()).toMatchObject({ sizes: { 2: 1 }, itemByItem: { account: 1 } });
    expect(ok).toMatchObject({ status: 'fulfilled', value: { outcome: 'stored' } });
    expect(failed.status).toBe('rejected');
    const rows = await w.db.query<{ n: number }>('SELECT count(*)::int AS n FROM payments WHERE id = $1', [
      ghost.id,
    ]);
    expect(rows[0]?.n).toBe(0);
  });

  itOnPostgres(
    'a key another transaction holds: item by item, that payment in flight, the others stored',
    async () => {
      const a = await w.user({ balanceCents: 1_000 });
      const b = await w.user();
      const me = await w.me(a);
      const k = uniq('k');
      const before = { ...w.deps.batcher!.stats().itemByItem };
      const [busy, other] = await w.db.transaction(async (tx) => {
        // The lock create_payment_once() takes on a key while its request runs.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1 || E'\\n' || $2, 7366002))`, [
          me.id,
          k,
        ]);
        return oneBatch(
          () => pay(a, uniq('k'), { recipientHandle: b.handle, amountCents: 1 }),
          [
            () => pay(a, k, { recipientHandle: b.handle, amountCents: 100 }),
            () => pay(a, uniq('k'), { recipientHandle: b.handle, amountCents: 50 }),
          ],
        );
      });
      expect(busy!.status).toBe(409);
      expect(busy!.body.code).toBe('idempotency_in_flight');
      expect(other!.status).toBe(201);
      expect(itemByItemSince(before)).toEqual({ in_flight: 1 });
      expect((await w.me(a)).balance.availableCents).toBe(949);
      // Nothing was stored under the busy key: the client's retry runs it.
      const retry = await pay(a, k, { recipientHandle: b.handle, amountCents: 100 });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
    },
  );
});
