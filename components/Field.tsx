import type { ComponentChildren, Ref, VNode } from 'preact';

/** What the control of a {@link Field} must carry so its label, hint and error reach assistive technology. */
export interface FieldControl {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface Props {
  id: string;
  label: ComponentChildren;
  /** A line under the control (`<id>-hint`). */
  hint?: ComponentChildren;
  /** The error, in words, under the control (`<id>-error`); the control is then marked invalid. */
  error?: ComponentChildren | null;
  /** `data-testid` of the error line. */
  errorTestId?: string;
  /** Ids of other elements that describe the control (after its own hint and error). */
  describedBy?: string;
  /** The control, given the attributes that tie it to the label, hint and error. */
  children: (control: FieldControl) => VNode;
}

/** A labelled form control with its optional hint and error: the one way the pages write a field. */
export function Field({ id, label, hint, error, errorTestId, describedBy, children }: Props) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const describe = [hintId, errorId, describedBy].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describe || undefined })}
      {hint && (
        <p id={hintId!} class="muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId!} class="field-error" data-testid={errorTestId}>
          {error}
        </p>
      )}
    </div>
  );
}

/** What a {@link TextField} adds to a field: its one text input. */
export interface TextFieldProps extends Omit<Props, 'children'> {
  value: string;
  onValue: (value: string) => void;
  /** `data-testid` of the input (its `id` when not given). */
  testId?: string;
  type?: 'text' | 'email' | 'password' | 'url';
  autoComplete: string;
  inputMode?: 'text' | 'decimal' | 'url' | 'email';
  required?: boolean;
  maxLength?: number;
  spellcheck?: boolean;
  placeholder?: string;
  inputRef?: Ref<HTMLInputElement>;
}

/** A {@link Field} holding one text input, the pages' usual field. */
export function TextField(props: TextFieldProps) {
  const { value, onValue, testId = props.id, inputRef, type = 'text', ...rest } = props;
  const { autoComplete, inputMode, required, maxLength, spellcheck, placeholder, ...field } = rest;
  const input = { autoComplete, inputMode, required, maxLength, spellcheck, placeholder };
  return (
    <Field {...field}>
      {(control) => (
        <input
          {...control}
          {...input}
          ref={inputRef}
          data-testid={testId}
          // Preact types each input type apart (by its ARIA roles); these four take the same attributes.
          type={type as 'text'}
          value={value}
          onInput={(e) => onValue(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}
