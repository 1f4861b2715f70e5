import { UserError, type ErrorStatus } from '../../errors';

/**
 * Why a code typed at the post-office counter cannot be keyed now. The entry page's script gets
 * it with the message (GET …/entry/lookup) and shows it next to the code field, before any
 * answer is typed.
 */
export type EntryRefusalState =
  /** The check character or the shape does not fit, or the code is another wave's. */
  | 'wrong-code'
  | 'unknown'
  /** A reserve whose letter was never sent. */
  | 'not-released'
  /** A unit the clerk does not key for (User.unitCodes). */
  | 'other-unit'
  | 'already-keyed'
  /** Double entry: this clerk keyed pass 1, pass 2 must be someone else's. */
  | 'keyed-by-you'
  /** Double entry: keyed twice, waiting for the supervisor. */
  | 'awaiting-supervisor';

export class EntryRefusal extends UserError {
  constructor(
    readonly state: EntryRefusalState,
    message: string,
    status: ErrorStatus,
  ) {
    super(message, status);
  }
}
