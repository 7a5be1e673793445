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
  getAll(): Promise<{ origins?: string[] }>;
  request(permissions: { origins: string[] }): Promise<boolean>;
}

/** The built-in origins, in the order the manifest and the pages list them. */
export const BUILT_IN_SITE_ORIGINS: readonly string[] = BUILT_IN_ORIGINS.map((entry) => entry.origin);

/** `<scheme>://<host>/<path>` of a match pattern; `<all_urls>` is handled before. */
const MATCH_PATTERN = /^(\*|[a-z][a-z0-9+.-]*):\/\/([^/]*)\/(.*)$/;

/**
 * True when the granted match pattern covers every page of `origin` (`https://host[:port]`).
 * Chromium's permissions.contains({ origins }) answers false for hosts granted through
 * content_scripts matches (it looks only at host_permissions), while its getAll() lists both, as
 * Firefox's does: so the grants are read with getAll() and matched here.
 */
export function patternCoversOrigin(pattern: string, origin: string): boolean {
  if (pattern === '<all_urls>') return true;
  const parts = MATCH_PATTERN.exec(pattern);
  if (parts === null) return false;
  const [, scheme, host, path] = parts;
  const url = new URL(origin);
  if (scheme !== '*' && `${scheme ?? ''}:` !== url.protocol) return false;
  if (path !== '*') return false;
  if (host === '*') return true;
  if (host?.startsWith('*.') === true) {
    const domain = host.slice(2);
    return url.hostname === domain || url.hostname.endsWith(`.${domain}`);
  }
  return host === url.host;
}

/** The origins among `origins` the extension may not run on; empty when all are granted. */
export async function originsMissingAccess(permissions: Pick<PermissionsLike, 'getAll'>, origins: readonly string[] = BUILT_IN_SITE_ORIGINS): Promise<string[]> {
  const granted = (await permissions.getAll()).origins ?? [];
  // Each origin on its own, so the page names exactly the sites that are off.
  return origins.filter((origin) => !granted.some((pattern) => patternCoversOrigin(pattern, origin)));
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
