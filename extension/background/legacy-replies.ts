/**
 * The numeric NHIICC replies for legacy commands the extension itself stops. Pages only know the
 * official component's codes, so extension-side failures map onto the closest one.
 */
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { LegacyCode } from '../../native-host/protocol/nhiicc';
import type { AnyErrorCode } from '../../native-host/protocol/error-codes';

/**
 * A denied consent, a missing or dead host, a timeout: 8013 ("cannot access the card: check reader
 * and card"), which every page library handles as a failed read. docs/page-api.md says why.
 */
export const LEGACY_CARD_INACCESSIBLE = String(LegacyCode.CardAccess);
/** What the official component answers to anything it does not understand. */
export const LEGACY_UNKNOWN_COMMAND = String(LegacyCode.UnknownCommand);

/** The NHIICC reply for an error that stopped a legacy command. */
export function legacyReplyFor(code: AnyErrorCode): string {
  if (code === ErrorCode.InvalidRequest || code === ErrorCode.UnknownCommand || code === ErrorCode.FrameTooLarge) return LEGACY_UNKNOWN_COMMAND;
  return LEGACY_CARD_INACCESSIBLE;
}

/** True when a legacy reply is a bare numeric error code rather than `<Command>:<payload>`. */
export function isLegacyErrorReply(reply: string): boolean {
  return /^\d+$/.test(reply);
}
