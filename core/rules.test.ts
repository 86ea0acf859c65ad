import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPayment, DEFAULT_CONFIG, feeBpsFor, feeCents, isValidFeeBps, limitCents } from './rules';

describe('rules', () => {
  it('should publish the S-money limits and defaults', () => {
    expect(DEFAULT_CONFIG).toEqual({
      botHandle: 'SMoneyfr',
      hashtag: 'envoyer',
      currency: 'EUR',
      limits: { personCents: 25000, associationCents: 50000, unregisteredCents: 25000 },
      minCents: 1,
      claimDays: 14,
      confirmMinutes: 15,
      businessFeeBps: { min: 100, max: 200 },
    });
  });

  it('should give each kind of recipient its limit', () => {
    expect(limitCents({ registered: true, kind: 'person' })).toBe(25000);
    expect(limitCents({ registered: true, kind: 'business' })).toBe(25000);
    expect(limitCents({ registered: true, kind: 'association' })).toBe(50000);
    expect(limitCents({ registered: false, kind: 'association' })).toBe(25000);
  });

  it('should round fees half-up to the cent', () => {
    expect(feeCents(10000, 150)).toBe(150);
    expect(feeCents(100, 150)).toBe(2); // 1.5 → 2
    expect(feeCents(33, 150)).toBe(0); // 0.495 → 0
    expect(feeCents(34, 150)).toBe(1); // 0.51 → 1
    expect(feeCents(50, 100)).toBe(1); // 0.5 → 1
    expect(feeCents(49, 100)).toBe(0); // 0.49 → 0
    expect(feeCents(1, 200)).toBe(0);
    expect(feeCents(25000, 200)).toBe(500);
    expect(() => feeCents(1.5, 100)).toThrow(RangeError);
    expect(() => feeCents(100, 10001)).toThrow(RangeError);
  });

  it('should match exact rational half-up rounding for any amount and rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (amount, bps) => {
          const fee = feeCents(amount, bps);
          // fee is the integer nearest to amount*bps/10000, ties up: 2*(amount*bps) in [(2fee-1)*5000, (2fee+1)*5000)
          const twice = 2 * amount * bps;
          return twice >= (2 * fee - 1) * 10_000 && twice < (2 * fee + 1) * 10_000;
        },
      ),
    );
  });

  it('should charge fees to businesses only', () => {
    expect(feeBpsFor({ registered: true, kind: 'business' })).toBe(150);
    expect(feeBpsFor({ registered: true, kind: 'business', feeBps: 200 })).toBe(200);
    expect(feeBpsFor({ registered: true, kind: 'person', feeBps: 200 })).toBe(0);
    expect(feeBpsFor({ registered: true, kind: 'association' })).toBe(0);
    expect(feeBpsFor({ registered: false, kind: 'business' })).toBe(0);
    expect(isValidFeeBps(100)).toBe(true);
    expect(isValidFeeBps(200)).toBe(true);
    expect(isValidFeeBps(99)).toBe(false);
    expect(isValidFeeBps(201)).toBe(false);
    expect(isValidFeeBps(150.5)).toBe(false);
  });

  it('should accept a payment within the limit and compute what the recipient gets', () => {
    expect(
      checkPayment({ amountCents: 10000, isSelf: false, recipient: { registered: true, kind: 'business' } }),
    ).toEqual({ ok: true, limitCents: 25000, feeBps: 150, feeCents: 150, netCents: 9850 });
    expect(
      checkPayment({
        amountCents: 50000,
        isSelf: false,
        recipient: { registered: true, kind: 'association' },
      }),
    ).toMatchObject({ ok: true, feeCents: 0, netCents: 50000 });
    expect(
      checkPayment({ amountCents: 1, isSelf: false, recipient: { registered: false, kind: 'person' } }),
    ).toMatchObject({ ok: true });
  });

  it('should reject with the API error code when a rule is broken', () => {
    const person = { registered: true, kind: 'person' } as const;
    expect(checkPayment({ amountCents: 25001, isSelf: false, recipient: person })).toMatchObject({
      ok: false,
      reason: 'limit_exceeded',
    });
    expect(
      checkPayment({
        amountCents: 50001,
        isSelf: false,
        recipient: { registered: true, kind: 'association' },
      }),
    ).toMatchObject({ ok: false, reason: 'limit_exceeded' });
    expect(checkPayment({ amountCents: 100, isSelf: true, recipient: person })).toMatchObject({
      ok: false,
      reason: 'self_payment',
    });
    expect(checkPayment({ amountCents: 0, isSelf: false, recipient: person })).toMatchObject({
      ok: false,
      reason: 'invalid_request',
    });
    expect(checkPayment({ amountCents: 10.5, isSelf: false, recipient: person })).toMatchObject({
      ok: false,
      reason: 'invalid_request',
    });
  });
});
