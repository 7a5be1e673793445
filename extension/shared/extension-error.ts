/**
 * The error value that crosses every boundary inside the extension (background -> content ->
 * page): a stable code plus a message without card-holder data, rebuilt on the receiving side.
 * No schema library here: the page world and the content script use this file; the schema that
 * checks a wire error from elsewhere is ./wire-error-schema.ts.
 */
import { BridgeError } from '../../native-host/protocol/bridge-error';
import { ErrorCode } from '../../native-host/protocol/error-codes';
import type { AnyErrorCode } from './extension-error-codes';

/** Messages are for people; a cap keeps a broken peer from smuggling megabytes through them. */
export const MAX_ERROR_MESSAGE_LENGTH = 1000;

/** An error as it crosses a boundary. */
export interface WireError {
  code: AnyErrorCode;
  message: string;
}

/** An error with a code from the host or the extension. */
export class ExtensionError extends Error {
  override readonly name = 'NhiCardError';

  constructor(
    readonly code: AnyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The wire form of this error. */
  toWire(): WireError {
    return { code: this.code, message: this.message.slice(0, MAX_ERROR_MESSAGE_LENGTH) };
  }
}

/** Wraps anything thrown into the wire form; unknown failures become INTERNAL. */
export function toWireError(error: unknown): WireError {
  if (error instanceof ExtensionError) return error.toWire();
  if (error instanceof BridgeError) return { code: error.code, message: error.message.slice(0, MAX_ERROR_MESSAGE_LENGTH) };
  const message = error instanceof Error ? error.message : String(error);
  return { code: ErrorCode.Internal, message: message.slice(0, MAX_ERROR_MESSAGE_LENGTH) };
}
