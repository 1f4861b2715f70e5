/**
 * The one error type of the platform: a problem the person can fix (bad input, wrong state, not
 * signed in, not allowed). It carries its HTTP status, so every route and the command line map
 * it the same way (app.onError, run-cli); anything else is a bug and is logged.
 */

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429;

/** One bad field of a form or row, named so a page can show the message next to the field. */
export interface FieldProblem {
  /** Criterion or profile item code, `comment`, `unit_code`, `questionnaire`, … */
  field: string;
  message: string;
}

export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly status: ErrorStatus = 400,
    /** Row-by-row problems, listed under the message. */
    readonly details: string[] = [],
    /** The same problems by field, for forms that show them in place. */
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

/** Bad answers on a form or row: every problem, each naming its field. */
export function invalidFields(problems: FieldProblem[], what = 'Phiếu trả lời'): UserError {
  const lines = problems.map((p) => `${p.field}: ${p.message}`);
  return new UserError(`${what} có ${problems.length} lỗi: ${lines.slice(0, 3).join('; ')}`, 400, lines, problems);
}

/** A refusal about one form field (a taken year, a wrong current password), shown next to that field. */
export function fieldError(field: string, message: string, status: ErrorStatus = 400): UserError {
  return new UserError(message, status, [], [{ field, message }]);
}

/** A setting or file the platform cannot start with (bad environment variable, unwritable folder). */
export class ConfigError extends UserError {
  override name = 'ConfigError';
}
