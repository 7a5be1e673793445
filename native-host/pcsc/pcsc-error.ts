import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';

/** PC/SC return codes we tell apart (the same values in pcsc-lite and winscard.dll). */
export const PcscStatus = {
  success: 0,
  internalError: 0x80100001,
  cancelled: 0x80100002,
  insufficientBuffer: 0x80100008,
  noService: 0x8010001d,
  serviceStopped: 0x8010001e,
  noReadersAvailable: 0x8010002e,
  unknownReader: 0x80100009,
  readerUnavailable: 0x80100017,
  noSmartcard: 0x8010000c,
  sharingViolation: 0x8010000b,
  transactionFailed: 0x80100016,
  timeout: 0x8010000a,
  commError: 0x80100013,
  unresponsiveCard: 0x80100066,
  unpoweredCard: 0x80100067,
  resetCard: 0x80100068,
  removedCard: 0x80100069,
  readerUnsupported: 0x8010001a,
  invalidHandle: 0x80100003,
} as const;

/** Extracts the PC/SC status code the binding embeds in its messages, e.g. "...(0x8010001d)". */
export function pcscStatusOf(error: unknown): number | undefined {
  const text = error instanceof Error ? error.message : String(error);
  const match = /0x([0-9a-f]{8})/i.exec(text);
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 16);
}

/** A failed PC/SC call as an Error whose message carries the status the way pcscStatusOf reads it. */
export function pcscCallError(call: string, status: number): Error {
  return new Error(`${call} failed (0x${status.toString(16).padStart(8, '0')})`);
}

/**
 * What to do when PC/SC is unreachable. Windows runs its Smart Card service only while a reader is
 * plugged in, so there the fix is the reader, not the service.
 */
export function unavailableMessage(platform: string = process.platform): string {
  if (platform === 'win32') return 'the Windows smart card service is not running: plug in the card reader, then try again';
  return 'cannot reach the PC/SC service (pcscd): is it installed and running?';
}

/** What to do when PC/SC answers but lists no reader (Windows has no pcscd to check). */
export function noReaderMessage(platform: string = process.platform): string {
  if (platform === 'win32') return 'no reader found: plug in the card reader, then try again';
  return 'no reader found: is the reader plugged in and pcscd running?';
}

/** Maps a binding failure to the project's typed error with an actionable message. */
export function toNhiCardError(error: unknown, action: string, platform: string = process.platform): NhiCardError {
  if (error instanceof NhiCardError) return error;
  const status = pcscStatusOf(error);
  const make = (code: ErrorCode, message: string) => new NhiCardError(code, message, { cause: error });
  switch (status) {
    case PcscStatus.noService:
    case PcscStatus.serviceStopped:
      return make(ErrorCode.PcscUnavailable, unavailableMessage(platform));
    case PcscStatus.noReadersAvailable:
      return make(ErrorCode.NoReader, noReaderMessage(platform));
    case PcscStatus.unknownReader:
    case PcscStatus.readerUnavailable:
      return make(ErrorCode.ReaderNotFound, 'the reader went away: plug it in again');
    case PcscStatus.noSmartcard:
    case PcscStatus.removedCard:
    case PcscStatus.resetCard:
    case PcscStatus.unpoweredCard:
    case PcscStatus.transactionFailed:
      return make(ErrorCode.CardRemoved, 'the card was removed or reset: insert it again and retry');
    case PcscStatus.unresponsiveCard:
      return make(ErrorCode.CardError, 'the card does not respond: check that it is inserted the right way round');
    case PcscStatus.sharingViolation:
      return make(ErrorCode.ReaderBusy, 'another application is using the reader exclusively: close it and retry');
    default:
      return make(ErrorCode.PcscError, `PC/SC ${action} failed${status === undefined ? '' : ` (0x${status.toString(16)})`}`);
  }
}

/** The error for "no PC/SC context at all". */
export function pcscUnavailable(cause?: unknown, platform: string = process.platform): NhiCardError {
  return new NhiCardError(ErrorCode.PcscUnavailable, unavailableMessage(platform), { cause });
}

/** True for the harmless error the binding emits when we close a context on purpose. */
export function isCancellation(error: unknown): boolean {
  return pcscStatusOf(error) === PcscStatus.cancelled;
}
