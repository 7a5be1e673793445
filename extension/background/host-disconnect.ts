/**
 * Turns the browser's reason for a closed native port into a stable code with a fix in words.
 * The texts differ by browser: Chromium says "Specified native messaging host not found." or
 * "Access to the specified native messaging host is forbidden.", Firefox "No such native
 * application tw.nhi_card_bridge"; a host that exits gives "Native host has exited." or no reason.
 */
import { ExtensionErrorCode } from '../../native-host/protocol/error-codes';
import { NhiCardError } from '../../native-host/protocol/nhi-card-error';

/** Where a person finds the checks and fixes; pages get this in the error message. */
export const DIAGNOSTICS_HINT = 'open the NHI Card Bridge options page (Diagnostics) for the fix';

/** The error for a closed connection; `wasReady` says whether the host had said hello. */
export function classifyDisconnect(reason: string | undefined, wasReady: boolean): NhiCardError {
  const text = reason ?? '';
  if (!wasReady && /not found|no such native application/i.test(text)) {
    return new NhiCardError(ExtensionErrorCode.HostNotFound, `the NHI Card Bridge host is not installed for this browser (run \`nhi-card install\`); ${DIAGNOSTICS_HINT}`);
  }
  if (!wasReady && /forbidden/i.test(text)) {
    return new NhiCardError(ExtensionErrorCode.HostNotFound, `the NHI Card Bridge host is registered for another extension ID (run \`nhi-card install\` again); ${DIAGNOSTICS_HINT}`);
  }
  if (!wasReady && /failed to start/i.test(text)) {
    return new NhiCardError(ExtensionErrorCode.HostNotFound, `the NHI Card Bridge host is registered but could not start (reinstall it); ${DIAGNOSTICS_HINT}`);
  }
  if (!wasReady) {
    return new NhiCardError(ExtensionErrorCode.HostExited, `the NHI Card Bridge host exited before it was ready${text === '' ? '' : ` (${text.slice(0, 200)})`}; ${DIAGNOSTICS_HINT}`);
  }
  return new NhiCardError(ExtensionErrorCode.HostExited, 'the NHI Card Bridge host exited');
}
