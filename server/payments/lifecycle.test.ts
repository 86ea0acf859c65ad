import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupWallet, uniq, type TestWallet, type User } from '../../tests/helpers/server-app';

let w: TestWallet;
beforeAll(async () => {
  w = await setupWallet();
});
afterAll(() => w.close());

const create = (u: User, body: Record<string, unknown>, key = uniq('k')) =>
  w.req('POST', '/v1/payments', {
    token: u.tokens.accessToken,
    key,
    body: { currency: 'EUR', mode: 'private', ...body },
  });
const get = (u: User, id: string) => w.req('GET', `/v1/payments/${id}`, { token: u.tokens.accessToken });

describe('private payments', () => {
  it('to a person: completed at once, no fee, both balances move', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const r = await create(a, {
      recipientHandle: b.handle.toUpperCase(),
      amountCents: 2_550,
      message: 'pizza 🍕',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      direction: 'sent',
      payer: { handle: a.handle, displayName: `User ${a.handle}` },
      recipient: { handle: b.handle, displayName: `User ${b.handle}`, registered: true },
      amountCents: 2_550,
      feeCents: 0,
      currency: 'EUR',
      message: 'pizza 🍕',
      mode: 'private',
      status: 'completed',
      tweetText: null,
      tweetId: null,
      expiresAt: null,
    });
    expect((await w.me(a)).balance).toEqual({ availableCents: 7_450, heldCents: 0 });
    expect((await w.me(b)).balance).toEqual({ availableCents: 2_550, heldCents: 0 });
    const seen = await get(b, r.body.id);
    expect(seen.body.direction).toBe('received');
  });

  it('to a business: the commission (per account, rounded half-up) goes to fee revenue', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const shop = await w.user({ kind: 'business' });
    // default 150 bps: 1.5 % of 1 001 = 15.015 → 15; of 1 033 = 15.495 → 15; of 1 034 = 15.51 → 16; of 100 = 1.5 → 2
    const cases = [
      [1_001, 15],
      [1_033, 15],
      [1_034, 16],
      [100, 2],
    ] as const;
    let received = 0;
    for (const [amount, fee] of cases) {
      const r = await create(a, { recipientHandle: shop.handle, amountCents: amount });
      expect(r.body.feeCents, `fee of ${amount}`).toBe(fee);
      received += amount - fee;
    }
    expect((await w.me(shop)).balance.availableCents).toBe(received);
    await w.db.query(`UPDATE accounts SET fee_bps = 200 WHERE id = $1`, [shop.id]);
    const r = await create(a, { recipientHandle: shop.handle, amountCents: 1_025 });
    expect(r.body.feeCents).toBe(21); // 20.5 → 21
    const rec = await w.req('GET', `/v1/recipients/${shop.handle}`, { token: a.tokens.accessToken });
    expect(rec.body).toMatchObject({ registered: true, kind: 'business', feeBps: 200, limitCents: 25_000 });
  });

  it('to an X handle without a wallet: claimable, funds in escrow; credited when that account links; 14 days', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const handle = uniq('n');
    const r = await create(a, { recipientHandle: handle, amountCents: 3_000 });
    expect(r.body).toMatchObject({
      status: 'claimable',
      recipient: { handle, registered: false, displayName: null },
    });
    const expires = new Date(r.body.expiresAt).getTime() - new Date(r.body.createdAt).getTime();
    expect(expires).toBe(14 * 24 * 3600_000);
    expect((await w.me(a)).balance).toEqual({ availableCents: 7_000, heldCents: 3_000 });
    const b = await w.user({ handle, linked: true });
    expect((await get(a, r.body.id)).body).toMatchObject({
      status: 'completed',
      recipient: { registered: true },
    });
    expect((await w.me(b)).balance.availableCents).toBe(3_000);
    expect((await w.me(a)).balance).toEqual({ availableCents: 7_000, heldCents: 0 });
  });
});

describe('rules', () => {
  it('limits: 250 € to a person or unregistered handle, 500 € to an association', async () => {
    const a = await w.user({ balanceCents: 200_000 });
    const person = await w.user();
    const assoc = await w.user({ kind: 'association' });
    expect((await create(a, { recipientHandle: person.handle, amountCents: 25_000 })).status).toBe(201);
    const over = await create(a, { recipientHandle: person.handle, amountCents: 25_001 });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('limit_exceeded');
    expect((await create(a, { recipientHandle: uniq('n'), amountCents: 25_001 })).body.code).toBe(
      'limit_exceeded',
    );
    expect((await create(a, { recipientHandle: assoc.handle, amountCents: 50_000 })).status).toBe(201);
    expect((await create(a, { recipientHandle: assoc.handle, amountCents: 50_001 })).body.code).toBe(
      'limit_exceeded',
    );
    const rec = await w.req('GET', `/v1/recipients/${assoc.handle}`, { token: a.tokens.accessToken });
    expect(rec.body).toEqual({
      handle: assoc.handle,
      registered: true,
      displayName: `User ${assoc.handle}`,
      kind: 'association',
      limitCents: 50_000,
      feeBps: 0,
    });
  });

  it('at least 1 cent, integers only, EUR only, valid handle and mode (400)', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    for (const body of [
      { recipientHandle: b.handle, amountCents: 0 },
      { recipientHandle: b.handle, amountCents: -5 },
      { recipientHandle: b.handle, amountCents: 1.5 },
      { recipientHandle: b.handle, amountCents: '100' },
      { recipientHandle: b.handle, amountCents: 100, currency: 'USD' },
      { recipientHandle: 'not a handle', amountCents: 100 },
      { recipientHandle: b.handle, amountCents: 100, mode: 'carrier-pigeon' },
      { recipientHandle: b.handle, amountCents: 100, replyToTweetId: 'abc' },
    ]) {
      const r = await create(a, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe('invalid_request');
    }
    expect((await create(a, { recipientHandle: b.handle, amountCents: 1 })).status).toBe(201);
  });

  it('no payment to oneself (by account or by own handle), none to the bot', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const self = await create(a, { recipientHandle: a.handle, amountCents: 100 });
    expect(self.status).toBe(422);
    expect(self.body.code).toBe('self_payment');
    const bot = await create(a, { recipientHandle: 'smoneyfr', amountCents: 100 });
    expect(bot.status).toBe(422);
    expect(bot.body.code).toBe('recipient_invalid');
    expect((await w.req('GET', '/v1/recipients/SMoneyfr', { token: a.tokens.accessToken })).body.code).toBe(
      'recipient_invalid',
    );
  });

  it('available balance (held funds excluded) must cover the payment', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    expect((await create(a, { recipientHandle: b.handle, amountCents: 600, mode: 'tweet' })).status).toBe(
      201,
    );
    const r = await create(a, { recipientHandle: b.handle, amountCents: 401 });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('insufficient_funds');
    expect((await create(a, { recipientHandle: b.handle, amountCents: 400 })).status).toBe(201);
    expect((await w.me(a)).balance).toEqual({ availableCents: 0, heldCents: 600 });
  });

  it('recipient lookup for an unknown handle', async () => {
    const a = await w.user();
    const h = uniq('n');
    const r = await w.req('GET', `/v1/recipients/${h}`, { token: a.tokens.accessToken });
    expect(r.body).toEqual({ handle: h, registered: false, kind: 'person', limitCents: 25_000, feeBps: 0 });
    expect((await w.req('GET', '/v1/recipients/bad-handle!', { token: a.tokens.accessToken })).status).toBe(
      400,
    );
  });
});

describe('tweet payments', () => {
  it('hold the funds and answer the canonical tweet text; reply id kept', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const r = await create(a, {
      recipientHandle: b.handle,
      amountCents: 1_250,
      mode: 'tweet',
      message: 'merci',
      replyToTweetId: '1850000000000000000',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      status: 'awaiting_tweet',
      tweetText: `@SMoneyfr #envoyer 12,50EUR @${b.handle} merci`,
      replyToTweetId: '1850000000000000000',
    });
    expect(new Date(r.body.expiresAt).getTime() - new Date(r.body.createdAt).getTime()).toBe(15 * 60_000);
    expect((await w.me(a)).balance).toEqual({ availableCents: 8_750, heldCents: 1_250 });
  });

  it('a message that would make the tweet ambiguous is refused (400)', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const r = await create(a, {
      recipientHandle: b.handle,
      amountCents: 100,
      mode: 'tweet',
      message: 'and @someone',
    });
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/cannot be tweeted/);
  });
});

describe('read, list, cancel, confirm', () => {
  it('a payment is visible to its payer and payee only', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const c = await w.user();
    const p = await w.pay(a, { recipientHandle: b.handle, amountCents: 100 });
    expect((await get(a, p.id)).status).toBe(200);
    expect((await get(b, p.id)).status).toBe(200);
    const r = await get(c, p.id);
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('not_found');
    expect((await get(a, 'no-such-id')).status).toBe(404);
  });

  it('lists newest first with a cursor and a status filter', async () => {
    const a = await w.user({ balanceCents: 10_000 });
    const b = await w.user();
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await w.pay(a, { recipientHandle: b.handle, amountCents: i })).id);
    const held = await w.pay(a, { recipientHandle: b.handle, amountCents: 7, mode: 'tweet' });
    const p1 = await w.req('GET', '/v1/payments?limit=4', { token: a.tokens.accessToken });
    expect(p1.body.items.map((p: { id: string }) => p.id)).toEqual([held.id, ids[4], ids[3], ids[2]]);
    expect(p1.body.nextCursor).toEqual(expect.any(String));
    const p2 = await w.req('GET', `/v1/payments?limit=4&cursor=${p1.body.nextCursor}`, {
      token: a.tokens.accessToken,
    });
    expect(p2.body).toEqual({
      items: [expect.objectContaining({ id: ids[1] }), expect.objectContaining({ id: ids[0] })],
      nextCursor: null,
    });
    const only = await w.req('GET', '/v1/payments?status=awaiting_tweet', { token: a.tokens.accessToken });
    expect(only.body.items.map((p: { id: string }) => p.id)).toEqual([held.id]);
    const both = await w.req('GET', '/v1/payments?status=awaiting_tweet,completed&limit=100', {
      token: a.tokens.accessToken,
    });
    expect(both.body.items).toHaveLength(6);
    const received = await w.req('GET', '/v1/payments', { token: b.tokens.accessToken });
    expect(received.body.items.every((p: { direction: string }) => p.direction === 'received')).toBe(true);
    for (const q of ['limit=0', 'limit=101', 'status=paid', 'cursor=abc']) {
      expect((await w.req('GET', `/v1/payments?${q}`, { token: a.tokens.accessToken })).status, q).toBe(400);
    }
  });

  it('the payer cancels a held payment: funds return; a completed one cannot be canceled (409)', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const held = await w.pay(a, { recipientHandle: b.handle, amountCents: 300, mode: 'tweet' });
    expect(
      (await w.req('POST', `/v1/payments/${held.id}/cancel`, { token: b.tokens.accessToken })).status,
    ).toBe(403);
    const r = await w.req('POST', `/v1/payments/${held.id}/cancel`, { token: a.tokens.accessToken });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'canceled', expiresAt: null });
    expect((await w.me(a)).balance).toEqual({ availableCents: 1_000, heldCents: 0 });
    const again = await w.req('POST', `/v1/payments/${held.id}/cancel`, { token: a.tokens.accessToken });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');
    const done = await w.pay(a, { recipientHandle: b.handle, amountCents: 100 });
    expect(
      (await w.req('POST', `/v1/payments/${done.id}/cancel`, { token: a.tokens.accessToken })).status,
    ).toBe(409);
    const claim = await w.pay(a, { recipientHandle: uniq('n'), amountCents: 200 });
    expect(
      (await w.req('POST', `/v1/payments/${claim.id}/cancel`, { token: a.tokens.accessToken })).body.status,
    ).toBe('canceled');
    expect((await w.me(a)).balance).toEqual({ availableCents: 900, heldCents: 0 });
  });

  it('confirm needs an awaiting_confirmation payment (409) and an Idempotency-Key (400)', async () => {
    const a = await w.user({ balanceCents: 1_000 });
    const b = await w.user();
    const held = await w.pay(a, { recipientHandle: b.handle, amountCents: 300, mode: 'tweet' });
    const noKey = await w.req('POST', `/v1/payments/${held.id}/confirm`, { token: a.tokens.accessToken });
    expect(noKey.status).toBe(400);
    const r = await w.req('POST', `/v1/payments/${held.id}/confirm`, {
      token: a.tokens.accessToken,
      key: uniq('k'),
    });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('conflict');
    const other = await w.req('POST', `/v1/payments/${held.id}/confirm`, {
      token: b.tokens.accessToken,
      key: uniq('k'),
    });
    expect(other.status).toBe(403);
  });
});

describe('x account link and top-ups', () => {
  it('link: another wallet’s X account is a conflict (409); the bot cannot be linked', async () => {
    const a = await w.user();
    const b = await w.user({ linked: false });
    const taken = await w.req('POST', '/v1/me/x-account', {
      token: b.tokens.accessToken,
      body: { handle: uniq('h'), xUserId: a.xUserId },
    });
    expect(taken.status).toBe(409);
    const taken2 = await w.req('POST', '/v1/me/x-account', {
      token: b.tokens.accessToken,
      body: { handle: a.handle.toUpperCase(), xUserId: '1' },
    });
    expect(taken2.status).toBe(409);
    const bot = await w.req('POST', '/v1/me/x-account', {
      token: b.tokens.accessToken,
      body: { handle: 'SMoneyfr', xUserId: '2' },
    });
    expect(bot.status).toBe(403);
    const bad = await w.req('POST', '/v1/me/x-account', {
      token: b.tokens.accessToken,
      body: { handle: 'x', xUserId: 'abc' },
    });
    expect(bad.status).toBe(400);
  });

  it('top-ups credit the balance from settlement and are idempotent', async () => {
    const a = await w.user();
    const key = uniq('k');
    const r1 = await w.req('POST', '/v1/me/top-ups', {
      token: a.tokens.accessToken,
      key,
      body: { amountCents: 5_000 },
    });
    expect(r1.status).toBe(201);
    expect(r1.body.balance.availableCents).toBe(5_000);
    const r2 = await w.req('POST', '/v1/me/top-ups', {
      token: a.tokens.accessToken,
      key,
      body: { amountCents: 5_000 },
    });
    expect(r2.body).toEqual(r1.body);
    expect((await w.me(a)).balance.availableCents).toBe(5_000);
    for (const amountCents of [0, 100_001, 1.5]) {
      const r = await w.req('POST', '/v1/me/top-ups', {
        token: a.tokens.accessToken,
        key: uniq('k'),
        body: { amountCents },
      });
      expect(r.status).toBe(400);
    }
  });
});

describe('sandbox off', () => {
  it('top-ups and X account linking are forbidden (403)', async () => {
    const a = await w.user();
    w.deps.sandbox = false;
    try {
      const r = await w.req('POST', '/v1/me/top-ups', {
        token: a.tokens.accessToken,
        key: uniq('k'),
        body: { amountCents: 5 },
      });
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('forbidden');
      const l = await w.req('POST', '/v1/me/x-account', {
        token: a.tokens.accessToken,
        body: { handle: uniq('h'), xUserId: '7' },
      });
      expect(l.status).toBe(403);
    } finally {
      w.deps.sandbox = true;
    }
  });
});
