import { expect } from 'vitest';
import { UserError } from '../../server/errors';

/** The refusal a piece of work ends in: fails the test when it succeeds or fails otherwise. */
export async function refusal(work: Promise<unknown>): Promise<UserError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}
