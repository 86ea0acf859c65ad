/**
 * Attacks: a signed-up user abusing the API with valid requests. Other people's payments (read,
 * confirm, cancel), another account's Idempotency-Key, linking someone else's X account, paying oneself under
 * another spelling, concurrent overspending, password guessing. Nothing may leak, move or go negative.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, expectProblem, ME, redWallet, type RedWallet } from '../../tests/helpers/server-attacker';

let w: RedWallet;
let me: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  w = await redWallet();
  me = (await w.login(ME.email)).accessToken;
  alice = (await w.login(ALICE.email)).accessToken;
  bob = (await w.login('bob@demo.test')).accessToken;
});
afterAll(() => w.close());

const pay = (token: string, key: string, body: Record<string, unknown>) =>
  w.call('POST', '/v1/payments', {
    body: { currency: 'EUR', mode: 'private', ...body },
    token,
    headers: { 'idempotency-key': key },
  });

describe('red team: abuse of the wallet API by a signed-in user', () => {
  it("should not let a third party read, confirm or cancel someone else's payment", async () => {
    const created = await pay(me, 'idor-1', {
      recipientHandle: ALICE.handle,
      amountCents: 100,
      mode: 'tweet',
    });
    expect(created.status, created.text).toBe(201);
    const id = String(created.body?.id);
    const before = await w.snapshot();
    expectProblem(await w.call('GET', `/v1/payments/${id}`, { token: bob }), 'bob reads', 404);
    expectProblem(await w.call('POST', `/v1/payments/${id}/cancel`, { token: bob }), 'bob cancels', 404);
    expectProblem(
      await w.call('POST', `/v1/payments/${id}/confirm`, { token: bob, headers: { 'idempotency-key': 'b' } }),
      'bob confirms',
      404,
    );
    // The payee sees it but cannot cancel or confirm the payer's payment.
    expect((await w.call('GET', `/v1/payments/${id}`, { token: alice })).status).toBe(200);
    expectProblem(await w.call('POST', `/v1/payments/${id}/cancel`, { token: alice }), 'payee cancels', 403);
    const list = await w.call('GET', '/v1/payments?limit=100', { token: bob });
    expect(JSON.stringify(list.body)).not.toContain(id);
    expect(await w.snapshot()).toBe(before);
  });

  it("should scope Idempotency-Keys per account: another account's key never replays its payment", async () => {
    const body = { recipientHandle: 'chloe_fr', amountCents: 150 };
    const mine = await pay(me, 'shared-key', body);
    expect(mine.status).toBe(201);
    const theirs = await pay(bob, 'shared-key', body);
    expect(theirs.status, theirs.text).toBe(201);
    expect(theirs.body?.id).not.toBe(mine.body?.id);
    expect(theirs.body?.payer).toMatchObject({ handle: 'Bob_Builder' });
    // The same key with another body is refused for its owner, and nothing moves.
    const before = await w.snapshot();
    expectProblem(await pay(me, 'shared-key', { ...body, amountCents: 151 }), 'reused key', 422);
    expect(await w.snapshot()).toBe(before);
    await w.audit();
  });

  it("should refuse linking an X account, id or handle, that another wallet holds, and the bot's", async () => {
    const before = await w.snapshot();
    const link = (body: Record<string, unknown>) => w.call('POST', '/v1/me/x-account', { body, token: bob });
    expectProblem(await link({ handle: 'bob_x', xUserId: ALICE.xUserId }), "alice's X id", 409);
    expectProblem(await link({ handle: 'ALICE', xUserId: '555000000000000009' }), "alice's handle", 409);
    expectProblem(await link({ handle: 'SMoneyfr', xUserId: '555000000000000008' }), 'the bot', 403);
    expect(await w.snapshot()).toBe(before);
  });

  it('should refuse paying oneself under any spelling of one’s handle, and the bot', async () => {
    const before = await w.snapshot();
    for (const h of ['tp_me', 'TP_ME', 'Tp_Me']) {
      expectProblem(await pay(me, `self-${h}`, { recipientHandle: h, amountCents: 100 }), `self ${h}`, 422);
    }
    for (const h of ['SMoneyfr', 'smoneyfr']) {
      expectProblem(await pay(me, `bot-${h}`, { recipientHandle: h, amountCents: 100 }), `bot ${h}`, 422);
    }
    expect(await w.snapshot()).toBe(before);
  });

  it('should never overspend under concurrent payments, whatever their keys', async () => {
    // Bob has 50 €: 30 concurrent 4 € payments can make at most 12 of them.
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        pay(bob, `race-${i}`, { recipientHandle: 'hugo', amountCents: 400 }),
      ),
    );
    const ok = replies.filter((r) => r.status === 201).length;
    for (const r of replies.filter((x) => x.status !== 201)) expectProblem(r, 'overspend', 422);
    const after = await w.call('GET', '/v1/me', { token: bob });
    const balance = after.body?.balance as { availableCents: number };
    expect(balance.availableCents).toBeGreaterThanOrEqual(0);
    expect(ok).toBeLessThanOrEqual(12);
    expect(ok).toBeGreaterThan(0);
    await w.audit();
  });

  it('should stop password guessing per email, whatever its spelling', async () => {
    const guesses = [
      '  Alice@Demo.Test',
      'alice@demo.test',
      'ALICE@DEMO.TEST ',
      'alice@demo.test',
      'Alice@demo.test',
    ];
    for (const email of guesses) {
      expectProblem(
        await w.call('POST', '/v1/auth/login', { body: { email, password: 'wrong-password' } }),
        email,
        401,
      );
    }
    const blocked = await w.call('POST', '/v1/auth/login', {
      body: { email: 'ALICE@demo.test', password: 'demo-password' },
    });
    expectProblem(blocked, 'sixth attempt, right password', 429);
    w.now.ms += 61_000;
    expect(
      (await w.call('POST', '/v1/auth/login', { body: { email: ALICE.email, password: 'demo-password' } }))
        .status,
    ).toBe(200);
  });
});
