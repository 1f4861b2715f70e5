/** A form as hono's validator('form') hands it over: a repeated name (tick boxes) arrives as an array. */
export type PostedForm = Record<string, string | File | (string | File)[]>;

/** One text field, NFC (Vietnamese typed composed or decomposed is one text); '' when absent or a file. */
export function formText(form: PostedForm, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value.normalize('NFC') : '';
}

/** Every value of a repeated field (ticked boxes of one name), files left out. */
export function formList(form: PostedForm, name: string): string[] {
  const value = form[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string').map((v) => v.normalize('NFC'));
}

/** A year as typed in a field: four digits, else NaN (the service then says what a year must be). */
export function typedYear(text: string): number {
  return /^\d{4}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}
