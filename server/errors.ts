/**
 * A problem the person can fix (bad input, wrong state). The command line prints its message on
 * one line; the web shows it on the page. Anything else is a bug and is logged.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 = 400,
    /** Row-by-row problems, listed under the message. */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}
