/**
 * Asks for the first-run / "host missing" page (extension/ui/welcome.html) when the card service
 * cannot be found or does not fit this extension: a person who installed only the extension learns
 * what is missing before a government page fails. The welcome-tab opener keeps it to one tab per
 * browser session, however often the host stays missing.
 */
import { ExtensionErrorCode } from '../../native-host/protocol/error-codes';
import type { HostState } from './native-host-client';

/** Failures an installer fixes; a host that crashes is for the diagnostics page, not this one. */
const INSTALL_FIXES: ReadonlySet<string> = new Set([ExtensionErrorCode.HostNotFound, ExtensionErrorCode.HostIncompatible]);

/** True when `state` means the host is missing or of the wrong version. */
export function needsInstaller(state: HostState): boolean {
  return state.kind === 'failed' && INSTALL_FIXES.has(state.error.code);
}

/** A host-state listener that asks `openWelcome` for the page whenever the host needs an installer. */
export function welcomeWhenHostMissing(openWelcome: () => Promise<void>): (state: HostState) => void {
  return (state) => {
    if (!needsInstaller(state)) return;
    openWelcome().catch((error: unknown) => {
      console.warn('NHI Card Bridge: could not open the welcome page', error instanceof Error ? error.message : error);
    });
  };
}
