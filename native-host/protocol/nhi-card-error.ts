/**
 * The project's one error: a stable code plus a message a person can act on, and its one wire
 * form, `{ code, message }`, which crosses every boundary (host -> background -> content script ->
 * page, background -> the extension's own pages) and is rebuilt on the receiving side. Messages
 * never contain card-holder data. Its `name` is what pages see on a rejection (docs/page-api.md).
 * No schema library here: the scripts injected into pages use this file.
 */
import { ErrorCode, type AnyErrorCode } from './error-codes';

/** Messages are for people; a cap keeps a broken peer from smuggling megabytes through them. */
export const MAX_ERROR_MESSAGE_LENGTH = 1000;

/** An error as it crosses a boundary; the host's wire carries only host codes (`WireError<ErrorCode>`). */
export interface WireError<C extends AnyErrorCode = AnyErrorCode> {
  readonly code: C;
  readonly message: string;
}

/** An error with a code from the host or the extension. */
export class NhiCardError extends Error {
  override readonly name = 'NhiCardError';

  constructor(
    readonly code: AnyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The wire form of this error, its message capped. */
  toWire(): WireError {
    return { code: this.code, message: this.message.slice(0, MAX_ERROR_MESSAGE_LENGTH) };
  }
}

/** Wraps anything thrown into an NhiCardError, keeping NhiCardErrors as they are. */
export function asNhiCardError(error: unknown, fallback: AnyErrorCode = 'INTERNAL'): NhiCardError {
  if (error instanceof NhiCardError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new NhiCardError(fallback, detail, { cause: error });
}

/**
 * The wire form the host writes. Only the extension produces the extension's codes; one reaching
 * the host's wire would be a bug, so it goes out as INTERNAL.
 */
export function hostWireError(error: unknown): WireError<ErrorCode> {
  const { code, message } = asNhiCardError(error).toWire();
  return isHostCode(code) ? { code, message } : { code: ErrorCode.Internal, message };
}

function isHostCode(code: AnyErrorCode): code is ErrorCode {
  return (Object.values(ErrorCode) as string[]).includes(code);
}
