/**
 * The popup's "Open a wallet" form: checks before sending (the server's rules, published in `/v1/config`), and
 * where a failure belongs once sent (an address already taken is the e-mail field's; a refused password is the
 * password field's; an unreachable wallet is the whole form's). Pure: the popup renders the result.
 */
import type { AccountRules } from '../../core/wallet-types';

export interface SignUpForm {
  email: string;
  displayName: string;
  password: string;
  terms: boolean;
}

export type SignUpField = 'email' | 'displayName' | 'password' | 'terms';

export type FieldError = 'required' | 'invalid' | 'tooShort' | 'tooLong' | 'taken' | 'sameAsEmail';

export type SignUpErrors = Partial<Record<SignUpField, FieldError>>;

/** A failure of the whole form (nothing typed is lost: the form stays as it was). */
export type FormError = 'unreachable' | 'rate_limited' | 'forbidden' | 'other';

/** What the browser and the server accept as an address (one @, a dot in the domain, no spaces). */
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateSignUp(
  form: SignUpForm,
  rules: AccountRules,
):
  | { ok: true; value: { email: string; displayName: string; password: string } }
  | { ok: false; errors: SignUpErrors } {
  const errors: SignUpErrors = {};
  const email = form.email.trim();
  const displayName = form.displayName.trim();
  if (!email) errors.email = 'required';
  else if (email.length > 254 || !EMAIL_RE.test(email)) errors.email = 'invalid';
  if (!displayName) errors.displayName = 'required';
  else if (displayName.length > rules.displayNameMaxLength) errors.displayName = 'tooLong';
  if (!form.password) errors.password = 'required';
  else if (form.password.length < rules.passwordMinLength) errors.password = 'tooShort';
  else if (form.password.length > rules.passwordMaxLength) errors.password = 'tooLong';
  else if (email && form.password.trim().toLowerCase() === email.toLowerCase())
    errors.password = 'sameAsEmail';
  if (!form.terms) errors.terms = 'required';
  return Object.keys(errors).length
    ? { ok: false, errors }
    : { ok: true, value: { email, displayName, password: form.password } };
}

/** Where the wallet's refusal of a sign-up belongs. */
export function signUpFailure(
  code: string,
  message?: string,
): { field: SignUpField; error: FieldError } | { form: FormError } {
  if (code === 'conflict') return { field: 'email', error: 'taken' };
  if (code === 'network' || code === 'internal') return { form: 'unreachable' };
  if (code === 'rate_limited') return { form: 'rate_limited' };
  if (code === 'forbidden') return { form: 'forbidden' };
  if (code === 'invalid_request' && message) {
    // The server names the field first: "password: at least 10 characters".
    if (/^password\b/.test(message)) return { field: 'password', error: 'tooShort' };
    if (/^email\b/.test(message)) return { field: 'email', error: 'invalid' };
    if (/^displayName\b/.test(message)) return { field: 'displayName', error: 'invalid' };
  }
  return { form: 'other' };
}
