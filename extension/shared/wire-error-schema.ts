/**
 * The schema of a wire error, for the extension's own pages and the background, which receive
 * errors from another context and check them before rebuilding them. Never imported by a script
 * injected into pages (they carry no schema library).
 */
import * as z from 'zod/mini';
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { ALL_ERROR_CODES, type AnyErrorCode } from '../../native-host/protocol/error-codes';
import { NhiCardError, MAX_ERROR_MESSAGE_LENGTH, type WireError } from '../../native-host/protocol/nhi-card-error';

export const wireErrorSchema = z.strictObject({
  code: z.enum(ALL_ERROR_CODES as [AnyErrorCode, ...AnyErrorCode[]]),
  message: z.string().check(z.maxLength(MAX_ERROR_MESSAGE_LENGTH)),
}) satisfies z.ZodMiniType<WireError>;

/** Rebuilds a thrown error from its wire form; malformed values become INTERNAL. */
export function fromWireError(value: unknown): NhiCardError {
  const parsed = wireErrorSchema.safeParse(value);
  if (parsed.success) return new NhiCardError(parsed.data.code, parsed.data.message);
  return new NhiCardError(ErrorCode.Internal, 'malformed error received');
}
