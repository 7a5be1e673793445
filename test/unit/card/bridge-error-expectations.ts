/** Assertions on BridgeError results, shared by the card tests. */
import { expect } from 'vitest';
import { BridgeError } from '../../../native-host/protocol/bridge-error';
import type { ErrorCode } from '../../../native-host/protocol/error-codes';

/** Runs `run`, asserts it threw a BridgeError with `code`, and returns the error for further checks. */
export function expectBridgeError(run: () => unknown, code: ErrorCode): BridgeError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  return checked(thrown, code);
}

/** Awaits `promise`, asserts it rejected with a BridgeError with `code`, and returns the error. */
export async function expectBridgeRejection(promise: Promise<unknown>, code: ErrorCode): Promise<BridgeError> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  return checked(thrown, code);
}

function checked(thrown: unknown, code: ErrorCode): BridgeError {
  expect(thrown).toBeInstanceOf(BridgeError);
  const error = thrown as BridgeError;
  expect(error.code).toBe(code);
  return error;
}
