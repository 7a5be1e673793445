/**
 * Whether the browser lets the extension run on the built-in government sites. Its content
 * scripts need host permission for each origin; a person can withdraw it (Firefox about:addons,
 * Chromium "on click"), and Firefox grants none to a system add-on found in a profile that existed
 * before the install. Without it pages get no window.nhiCard and nobody is told, so the background
 * and the extension's pages ask here and say so.
 */
import { BUILT_IN_ORIGINS, matchPatternFor } from './trusted-origins';

/** The part of the permissions API this needs (browser.permissions, or a fake in tests). */
export interface PermissionsLike {
  contains(permissions: { origins: string[] }): Promise<boolean>;
  request(permissions: { origins: string[] }): Promise<boolean>;
}

/** The built-in origins, in the order the manifest and the pages list them. */
export const BUILT_IN_SITE_ORIGINS: readonly string[] = BUILT_IN_ORIGINS.map((entry) => entry.origin);

/** The origins among `origins` the extension may not run on; empty when all are granted. */
export async function originsMissingAccess(permissions: Pick<PermissionsLike, 'contains'>, origins: readonly string[] = BUILT_IN_SITE_ORIGINS): Promise<string[]> {
  // One question per origin, so the page can name exactly the sites that are off.
  const granted = await Promise.all(origins.map((origin) => permissions.contains({ origins: [matchPatternFor(origin)] })));
  return origins.filter((_, index) => !granted[index]);
}

/**
 * Asks the browser for access to `origins` (it shows its own prompt), then reports which are still
 * missing. Must be called straight from a click: browsers refuse the request without a user gesture.
 */
export async function requestSiteAccess(permissions: PermissionsLike, origins: readonly string[]): Promise<string[]> {
  if (origins.length === 0) return [];
  await permissions.request({ origins: origins.map(matchPatternFor) });
  return originsMissingAccess(permissions, origins);
}
