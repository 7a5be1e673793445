/**
 * Asks for the welcome page (extension/ui/welcome.html, whose top section asks for the missing site
 * access) when the browser does not let the extension run on the built-in government sites: at
 * start-up and whenever permissions change. The welcome-tab opener keeps it to one tab per browser
 * session, so a person who leaves access off on purpose is not shown a tab at every background start.
 */
import { originsMissingAccess, type PermissionsLike } from '../shared/site-access';

/** Checks the built-in origins; when some lack access, asks `openWelcome` and resolves true. */
export async function welcomeWhenSiteAccessMissing(permissions: Pick<PermissionsLike, 'getAll'>, openWelcome: () => Promise<void>): Promise<boolean> {
  if ((await originsMissingAccess(permissions)).length === 0) return false;
  await openWelcome();
  return true;
}
