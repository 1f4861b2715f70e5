/** What every channel reads from its raw input (QR form, keyed digits, CSV row): the one response shape. */
export interface ResponseContent {
  /** criterion code → 1..5, or null for blank / "không ý kiến"; missing criteria are blanks. */
  answers: Record<string, number | null>;
  /** profile item code → option code (single) or codes (multi). */
  profile: Record<string, string | string[] | null>;
  /** The questionnaire's comment (free text). */
  comment: string | null;
}
