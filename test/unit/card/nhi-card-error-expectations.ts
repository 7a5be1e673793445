/** Assertions on NhiCardError results, shared by the card tests. */
import { expect } from 'vitest';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import type { ErrorCode } from '../../../native-host/protocol/error-codes';

/** Runs `run`, asserts it threw an NhiCardError with `code`, and returns the error for further checks. */
export function expectNhiCardError(run: () => unknown, code: ErrorCode): NhiCardError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  return checked(thrown, code);
}

/** Awaits `promise`, asserts it rejected with an NhiCardError with `code`, and returns the error. */
export async function expectNhiCardRejection(promise: Promise<unknown>, code: ErrorCode): Promise<NhiCardError> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  return checked(thrown, code);
}

function checked(thrown: unknown, code: ErrorCode): NhiCardError {
  expect(thrown).toBeInstanceOf(NhiCardError);
  const error = thrown as NhiCardError;
  expect(error.code).toBe(code);
  return error;
}
