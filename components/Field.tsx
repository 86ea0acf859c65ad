import type { ComponentChildren, VNode } from 'preact';

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
