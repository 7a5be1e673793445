/**
 * The numeric NHIICC error codes pages expect, and the one mapping from our string ErrorCode
 * (plus the legacy-only failures: SAM exchange, password length) onto them. The numbers are an
 * interoperability fact of the legacy edge; nothing inside the host reasons about them.
 */
import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode, type AnyErrorCode } from '../protocol/error-codes';
import { LegacyCode } from '../protocol/nhiicc';

/** A failure at the legacy edge that already knows its numeric code. Messages never hold card data. */
export class LegacyFailure extends Error {
  override readonly name = 'LegacyFailure';

  constructor(
    readonly code: LegacyCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Where each internal code lands. `step` means "whatever step was running": a card that refuses or
 * returns garbage while we read its basic data is 8011, while reading its id 8001, and so on.
 * Typed as a full Record so a new ErrorCode cannot be forgotten here.
 */
const BRIDGE_TO_LEGACY: Readonly<Record<ErrorCode, LegacyCode | 'step'>> = {
  [ErrorCode.PcscUnavailable]: LegacyCode.PcscUnavailable,
  [ErrorCode.NoReader]: LegacyCode.NoReader,
  [ErrorCode.ReaderNotFound]: LegacyCode.ReaderInaccessible,
  [ErrorCode.ReaderBusy]: LegacyCode.ReaderInaccessible,
  [ErrorCode.NoCard]: LegacyCode.NoNhiCard,
  [ErrorCode.NotNhiCard]: LegacyCode.NoNhiCard,
  [ErrorCode.CardRemoved]: LegacyCode.CardAccess,
  [ErrorCode.CardTimeout]: LegacyCode.CardAccess,
  [ErrorCode.PcscError]: LegacyCode.CardAccess,
  [ErrorCode.CardError]: 'step',
  [ErrorCode.InvalidCardData]: 'step',
  [ErrorCode.InvalidRequest]: 'step',
  [ErrorCode.UnknownCommand]: 'step',
  [ErrorCode.FrameTooLarge]: 'step',
  [ErrorCode.ForbiddenCaller]: 'step',
  [ErrorCode.Internal]: 'step',
};

/** The numeric code for anything thrown while `stepCode`'s step was running. */
export function toLegacyCode(error: unknown, stepCode: LegacyCode): LegacyCode {
  if (error instanceof LegacyFailure) return error.code;
  if (error instanceof NhiCardError) {
    // Only host codes are mapped: the extension's own never reach the host.
    const mapped = (BRIDGE_TO_LEGACY as Partial<Record<AnyErrorCode, LegacyCode | 'step'>>)[error.code];
    return mapped === undefined || mapped === 'step' ? stepCode : mapped;
  }
  return stepCode;
}

/**
 * Runs one step and re-throws its failure as a LegacyFailure carrying the step's code (or the
 * more specific code of a reader/transport failure). NOT_NHI_CARD passes through untouched so
 * `ReaderService.withCard` can still move on to the next reader.
 */
export async function atStep<T>(stepCode: LegacyCode, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof NhiCardError && error.code === ErrorCode.NotNhiCard) throw error;
    if (error instanceof LegacyFailure) throw error;
    throw new LegacyFailure(toLegacyCode(error, stepCode), `${what} failed`, { cause: error });
  }
}
