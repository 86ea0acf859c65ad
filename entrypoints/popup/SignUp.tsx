/**
 * "Open a wallet": e-mail, display name, password (the wallet's rules shown before sending), the terms line.
 * Each error sits under its field; a failure of the whole request (wallet unreachable) keeps everything typed.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { TextField } from '@/components/Field';
import { useI18n } from '@/components/i18n-context';
import type { MessageKey } from '@/utils/i18n';
import { ACCOUNT_RULES } from '@/core/rules';
import {
  validateSignUp,
  type FieldError,
  type FormError,
  type SignUpErrors,
  type SignUpField,
  type SignUpForm,
} from './signup-form';
import type { AccountRules } from '@/core/wallet-types';

interface Props {
  rules: AccountRules | null;
  walletUrl: string;
  busy: boolean;
  onSubmit: (value: {
    email: string;
    displayName: string;
    password: string;
  }) => Promise<{ field: SignUpField; error: FieldError } | { form: FormError } | null>;
  onSignIn: () => void;
}

export function SignUp({ rules, walletUrl, busy, onSubmit, onSignIn }: Props) {
  const { t } = useI18n();
  const r = rules ?? ACCOUNT_RULES;
  const [form, setForm] = useState<SignUpForm>({ email: '', displayName: '', password: '', terms: false });
  const [errors, setErrors] = useState<SignUpErrors>({});
  const [formError, setFormError] = useState<FormError | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const update = (patch: Partial<SignUpForm>) => {
    setForm({ ...form, ...patch });
    const cleared = { ...errors };
    for (const k of Object.keys(patch) as SignUpField[]) delete cleared[k];
    setErrors(cleared);
  };
  const errorText = (field: SignUpField, e: FieldError) =>
    t(`signup.${field}.${e}` as MessageKey, {
      min: r.passwordMinLength,
      max: field === 'displayName' ? r.displayNameMaxLength : r.passwordMaxLength,
    });
  const describe = (field: SignUpField, hint?: string) =>
    [hint, errors[field] ? `signup-${field}-error` : null].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: SignUpField) =>
    errors[field] && (
      <p id={`signup-${field}-error`} class="field-error" data-testid={`signup-${field}-error`}>
        {errorText(field, errors[field])}
      </p>
    );

  const submit = async (e: Event) => {
    e.preventDefault();
    setFormError(null);
    const v = validateSignUp(form, r);
    if (!v.ok) {
      setErrors(v.errors);
      return;
    }
    const failure = await onSubmit(v.value);
    if (!failure) return;
    if ('field' in failure) setErrors({ [failure.field]: failure.error });
    else setFormError(failure.form);
  };

  return (
    <form class="card" aria-labelledby="signup-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="signup-title">{t('popup.signupTitle')}</h2>
      <p class="muted">{t('popup.signupHint', { url: walletUrl })}</p>
      <TextField
        id="signup-email"
        inputRef={first}
        label={t('popup.email')}
        error={errors.email && errorText('email', errors.email)}
        errorTestId="signup-email-error"
        type="email"
        autoComplete="email"
        value={form.email}
        onValue={(email) => update({ email })}
      />
      <TextField
        id="signup-name"
        label={t('popup.displayName')}
        hint={t('popup.displayNameHint')}
        error={errors.displayName && errorText('displayName', errors.displayName)}
        errorTestId="signup-displayName-error"
        autoComplete="name"
        maxLength={r.displayNameMaxLength}
        value={form.displayName}
        onValue={(displayName) => update({ displayName })}
      />
      <TextField
        id="signup-password"
        label={t('popup.password')}
        hint={
          <span data-testid="signup-password-rules">
            {t('popup.passwordRules', { min: r.passwordMinLength })}
          </span>
        }
        error={errors.password && errorText('password', errors.password)}
        errorTestId="signup-password-error"
        type="password"
        autoComplete="new-password"
        value={form.password}
        onValue={(password) => update({ password })}
      />
      <div class="field">
        <label class="check">
          <input
            type="checkbox"
            data-testid="signup-terms"
            checked={form.terms}
            aria-invalid={errors.terms ? true : undefined}
            aria-describedby={describe('terms')}
            onChange={(e) => update({ terms: e.currentTarget.checked })}
          />
          <span>{t('popup.terms')}</span>
        </label>
        {fieldError('terms')}
      </div>
      {formError && (
        <p class="notice notice--danger" role="alert" data-testid="error">
          {t(`signup.form.${formError}`, { url: walletUrl })}
        </p>
      )}
      <button type="submit" class="btn btn--primary btn--block" data-testid="signup-submit" disabled={busy}>
        {busy ? t('popup.signingUp') : t('popup.signupSubmit')}
      </button>
      <p class="muted">
        {t('popup.haveWallet')}{' '}
        <button type="button" class="linkish" data-testid="signin-link" onClick={onSignIn}>
          {t('popup.signIn')}
        </button>
      </p>
    </form>
  );
}
