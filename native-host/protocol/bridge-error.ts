import { ErrorCode } from './error-codes';

/** The wire form of an error: what crosses every boundary (host <-> extension <-> page). */
export interface SerializedError {
  readonly code: ErrorCode;
  readonly message: string;
}

/**
 * The one error type of the project: a stable code plus a message a person can act on.
 * Messages never contain card holder data.
 */
export class BridgeError extends Error {
  override readonly name = 'BridgeError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The wire form of this error. */
  toJSON(): SerializedError {
    return { code: this.code, message: this.message };
  }

  /** Wraps anything thrown into a BridgeError, keeping BridgeErrors as they are. */
  static from(error: unknown, fallback: ErrorCode = ErrorCode.Internal): BridgeError {
    if (error instanceof BridgeError) return error;
    const detail = error instanceof Error ? error.message : String(error);
    return new BridgeError(fallback, detail, { cause: error });
  }
}
