/**
 * The error value that crosses every boundary inside the extension (background -> content ->
 * page): a stable code plus a message without card-holder data, rebuilt on the receiving side.
 */
import * as z from 'zod/mini';
import { BridgeError } from '../../native-host/protocol/bridge-error';
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { ALL_ERROR_CODES, type AnyErrorCode } from './extension-error-codes';

/** Messages are for people; a cap keeps a broken peer from smuggling megabytes through them. */
export const MAX_ERROR_MESSAGE_LENGTH = 1000;

export const wireErrorSchema = z.strictObject({
  code: z.enum(ALL_ERROR_CODES as [AnyErrorCode, ...AnyErrorCode[]]),
  message: z.string().check(z.maxLength(MAX_ERROR_MESSAGE_LENGTH)),
});
export type WireError = z.infer<typeof wireErrorSchema>;

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

/** Rebuilds a thrown error from its wire form; malformed values become INTERNAL. */
export function fromWireError(value: unknown): ExtensionError {
  const parsed = wireErrorSchema.safeParse(value);
  if (parsed.success) return new ExtensionError(parsed.data.code, parsed.data.message);
  return new ExtensionError(ErrorCode.Internal, 'malformed error received');
}
