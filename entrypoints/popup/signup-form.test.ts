import { describe, expect, it } from 'vitest';
import { ACCOUNT_RULES } from '../../core/rules';
import { signUpFailure, validateSignUp, type SignUpForm } from './signup-form';

const good: SignUpForm = {
  email: ' new@example.com ',
  displayName: ' Nora ',
  password: 'long enough pw',
  terms: true,
};

describe('sign-up form', () => {
  it('accepts a complete form, trimmed (the password as typed)', () => {
    expect(validateSignUp(good, ACCOUNT_RULES)).toEqual({
      ok: true,
      value: { email: 'new@example.com', displayName: 'Nora', password: 'long enough pw' },
    });
  });

  it('names every field that is wrong, by the server rules', () => {
    expect(
      validateSignUp({ email: '', displayName: ' ', password: '', terms: false }, ACCOUNT_RULES),
    ).toEqual({
      ok: false,
      errors: { email: 'required', displayName: 'required', password: 'required', terms: 'required' },
    });
    const r = validateSignUp(
      { email: 'no-at-sign', displayName: 'x'.repeat(81), password: '123456789', terms: true },
      ACCOUNT_RULES,
    );
    expect(r).toEqual({
      ok: false,
      errors: { email: 'invalid', displayName: 'tooLong', password: 'tooShort' },
    });
    expect(
      validateSignUp({ ...good, password: '1234567890' }, { ...ACCOUNT_RULES, passwordMinLength: 12 }),
    ).toEqual({
      ok: false,
      errors: { password: 'tooShort' },
    });
    expect(validateSignUp({ ...good, password: 'New@Example.com' }, ACCOUNT_RULES)).toEqual({
      ok: false,
      errors: { password: 'sameAsEmail' },
    });
  });

  it('puts the wallet’s refusal on its field, or on the form', () => {
    expect(signUpFailure('conflict')).toEqual({ field: 'email', error: 'taken' });
    expect(signUpFailure('invalid_request', 'password: at least 10 characters')).toEqual({
      field: 'password',
      error: 'tooShort',
    });
    expect(signUpFailure('invalid_request', 'email: Invalid email address')).toEqual({
      field: 'email',
      error: 'invalid',
    });
    expect(signUpFailure('network')).toEqual({ form: 'unreachable' });
    expect(signUpFailure('rate_limited')).toEqual({ form: 'rate_limited' });
    expect(signUpFailure('invalid_request')).toEqual({ form: 'other' });
  });
});
