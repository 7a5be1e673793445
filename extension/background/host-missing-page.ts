/**
 * Opens the first-run / "host missing" page (extension/ui/welcome.html) when the card service
 * cannot be found or does not fit this extension: a person who installed only the extension learns
 * what is missing before a government page fails. At most once per browser session, so a host
 * that stays missing does not open tab after tab.
 */
import { ExtensionErrorCode } from '../../native-host/protocol/error-codes';
import type { HostState } from './native-host-client';
import type { StorageAreaLike } from './storage-area';

/** The storage.session key that records the page was shown in this browser session. */
export const SHOWN_KEY = 'welcome.shownThisSession';

/** Failures an installer fixes; a host that crashes is for the diagnostics page, not this one. */
const INSTALL_FIXES: ReadonlySet<string> = new Set([ExtensionErrorCode.HostNotFound, ExtensionErrorCode.HostIncompatible]);

/** True when `state` means the host is missing or of the wrong version. */
export function needsInstaller(state: HostState): boolean {
  return state.kind === 'failed' && INSTALL_FIXES.has(state.error.code);
}

export class HostMissingPage {
  readonly #open: () => Promise<void>;
  readonly #session: StorageAreaLike;
  #opening: Promise<void> | undefined;

  constructor(open: () => Promise<void>, session: StorageAreaLike) {
    this.#open = open;
    this.#session = session;
  }

  /** Shows the page for `state` when it needs an installer and the page was not shown this session. */
  onHostState(state: HostState): void {
    if (!needsInstaller(state) || this.#opening !== undefined) return;
    this.#opening = this.#openOnce();
    this.#opening.catch(() => {
      this.#opening = undefined; // A tab that could not open may be tried again on the next failure.
    });
  }

  async #openOnce(): Promise<void> {
    // The background can restart within a session; storage.session remembers across restarts.
    if ((await this.#session.get(SHOWN_KEY))[SHOWN_KEY] === true) return;
    await this.#session.set({ [SHOWN_KEY]: true });
    await this.#open();
  }
}
