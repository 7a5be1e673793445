/**
 * The two shapes of an NHIICC reply, byte-for-byte as the official component sends them:
 * `<Command>:<payload>` on success, the bare numeric code on failure.
 */
import type { LegacyCode, LegacyCommandName } from '../protocol/nhiicc';

/** A success reply: `GetBasic:...`. */
export function successReply(command: LegacyCommandName, payload: string): string {
  return `${command}:${payload}`;
}

/** A failure reply: the code alone, e.g. `8013`. */
export function failureReply(code: LegacyCode): string {
  return String(code);
}
