/**
 * Opens the welcome page (extension/ui/welcome.html, whose top section asks for the missing site
 * access) when the browser does not let the extension run on the built-in government sites: at
 * start-up and whenever permissions change. At most once per browser session, so a person who
 * leaves access off on purpose is not shown a tab at every start of the background.
 */
import { originsMissingAccess, type PermissionsLike } from '../shared/site-access';
import type { StorageAreaLike } from './storage-area';

/** The storage.session key that records the page was opened for site access in this browser session. */
export const SITE_ACCESS_SHOWN_KEY = 'welcome.siteAccessShownThisSession';

export class SiteAccessPage {
  readonly #permissions: Pick<PermissionsLike, 'getAll'>;
  readonly #open: () => Promise<void>;
  readonly #session: StorageAreaLike;
  #checking: Promise<boolean> = Promise.resolve(false);

  constructor(permissions: Pick<PermissionsLike, 'getAll'>, open: () => Promise<void>, session: StorageAreaLike) {
    this.#permissions = permissions;
    this.#open = open;
    this.#session = session;
  }

  /**
   * Checks the built-in origins and opens the page when some lack access and it was not opened this
   * session. Resolves true when it opened the page. Checks run one after another, so two events in
   * a row cannot open two tabs.
   */
  check(): Promise<boolean> {
    this.#checking = this.#checking.catch(() => false).then(() => this.#checkNow());
    return this.#checking;
  }

  async #checkNow(): Promise<boolean> {
    if ((await originsMissingAccess(this.#permissions)).length === 0) return false;
    // The background can restart within a session; storage.session remembers across restarts.
    if ((await this.#session.get(SITE_ACCESS_SHOWN_KEY))[SITE_ACCESS_SHOWN_KEY] === true) return false;
    await this.#open();
    // Recorded only once the tab opened, so a tab that could not open is tried again at the next check.
    await this.#session.set({ [SITE_ACCESS_SHOWN_KEY]: true });
    return true;
  }
}
