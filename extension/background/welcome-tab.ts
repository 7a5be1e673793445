/**
 * Opens the welcome page (extension/ui/welcome.html) at most once per browser session, whoever
 * asks: it shows every missing piece at once (site access, the card service) and re-checks by
 * itself, so a new user who lacks both gets one tab, not one per reason.
 */
import type { StorageAreaLike } from './storage-area';

/** The storage.session key that records the welcome tab was opened in this browser session. */
export const WELCOME_OPENED_KEY = 'welcome.openedThisSession';

/**
 * An opener over `createTab`. Calls run one after another (two reasons at start-up cannot race to
 * two tabs); the session flag is set only once a tab opened, so a failed attempt may be repeated.
 */
export function welcomeTabOpener(createTab: () => Promise<void>, session: StorageAreaLike): () => Promise<void> {
  let queue: Promise<void> = Promise.resolve();
  const openOnce = async (): Promise<void> => {
    // The background can restart within a session; storage.session remembers across restarts.
    if ((await session.get(WELCOME_OPENED_KEY))[WELCOME_OPENED_KEY] === true) return;
    await createTab();
    await session.set({ [WELCOME_OPENED_KEY]: true });
  };
  return () => {
    const attempt = queue.then(openOnce);
    queue = attempt.catch(() => undefined);
    return attempt;
  };
}
