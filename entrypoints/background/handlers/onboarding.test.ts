import { describe, expect, it } from 'vitest';
import { isCheckoutUrl } from './onboarding';

describe('isCheckoutUrl', () => {
  it('opens https pages, and plain http only on this computer', () => {
    expect(isCheckoutUrl('https://checkout.stripe.com/c/pay/cs_test_a1')).toBe(true);
    expect(isCheckoutUrl('http://127.0.0.1:4242/pay/cs_test_a1')).toBe(true);
    expect(isCheckoutUrl('http://evil.example/pay')).toBe(false);
    expect(isCheckoutUrl('javascript:alert(1)')).toBe(false);
    expect(isCheckoutUrl('https://user:pw@checkout.stripe.com/')).toBe(false);
    expect(isCheckoutUrl('not a url')).toBe(false);
  });
});
