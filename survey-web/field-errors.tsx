/**
 * A refusal shown next to the field it is about (the server's UserError carries them by field),
 * linked to the input for screen readers: `<input {...invalid(errors, 'year')} />` then
 * `<FieldError errors={errors} field="year" />`.
 */
export type FieldErrors = Record<string, string>;

/** The server's list of problems by field, first message per field. */
export function byField(problems: readonly { field: string; message: string }[] | undefined): FieldErrors {
  const errors: FieldErrors = {};
  for (const p of problems ?? []) errors[p.field] ??= p.message;
  return errors;
}

function errorId(field: string): string {
  return `${field}-error`;
}

/** The attributes an input gets when its value was refused. */
export function invalid(errors: FieldErrors | undefined, field: string): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
  return errors?.[field] ? { 'aria-invalid': 'true', 'aria-describedby': errorId(field) } : {};
}

export function FieldError({ errors, field }: { errors?: FieldErrors; field: string }) {
  const message = errors?.[field];
  return message ? (
    <p class="field-error" id={errorId(field)}>
      {message}
    </p>
  ) : null;
}

export const fieldErrorCss = '.field-error{color:#b91c1c;font-weight:600;margin:.25rem 0}[aria-invalid="true"]{border:2px solid #b91c1c}';
