/**
 * What the Windows setup writes to the registry, as data: the native-messaging host keys from the
 * installer table (host-locations.ts, the same one `nhi-card install` uses) and the browsers'
 * external-extension keys that offer our extension from its store. The setup's NSIS include is
 * generated from this (scripts/package-windows.ts), so there is one source of truth.
 */
import { CHROME_EXTENSION_ID } from '../protocol/extension-ids';
import { browserFamily, type Browser, type BrowserFamily, type Scope } from './browsers';
import { manifestLocation, windowsManifestPath, type UserDirs } from './host-locations';

/** The browsers the Windows setup registers the host with. */
export const SETUP_BROWSERS: readonly Browser[] = ['chrome', 'edge', 'brave', 'firefox'];

/** One string value, under the hive of the install's scope (HKCU per user, HKLM for all users). */
export interface RegistryValue {
  /** Key path below the hive, e.g. `Software\Google\Chrome\NativeMessagingHosts\tw.nhi_card_bridge`. */
  readonly key: string;
  /** '' is the key's default value. */
  readonly name: string;
  readonly value: string;
}

/** Store update URLs the browsers fetch an externally offered extension from. */
export const CHROME_WEB_STORE_UPDATE_URL = 'https://clients2.google.com/service/update2/crx';
export const EDGE_ADDONS_UPDATE_URL = 'https://edge.microsoft.com/extensionwebstorebase/v1/crx';

/** Where Firefox users get the add-on (the setup's finish page links to it). */
export const FIREFOX_ADDON_URL = 'https://addons.mozilla.org/firefox/addon/nhi-card-bridge/';

// The table's paths are only needed for the hive-relative key; no user directory goes into a key.
const NO_DIRS: UserDirs = { home: 'C:\\', configHome: 'C:\\', localAppData: 'C:\\', appData: 'C:\\' };

/** The host key of `browser` below its hive, from the installer table. */
export function hostKey(browser: Browser, scope: Scope): string {
  const location = manifestLocation('win32', browser, scope, NO_DIRS);
  if (location.kind !== 'registry') throw new Error('the Windows installer table must name registry keys');
  return location.key.replace(/^HK(CU|LM)\\/, '');
}

/** External-extension keys (per user they live in HKCU; for all users, in HKLM's 32-bit view, where Chrome and Edge read them). */
function extensionKeys(scope: Scope): RegistryValue[] {
  const machine = scope === 'system' ? 'Software\\Wow6432Node' : 'Software';
  return [
    { key: `${machine}\\Google\\Chrome\\Extensions\\${CHROME_EXTENSION_ID}`, name: 'update_url', value: CHROME_WEB_STORE_UPDATE_URL },
    { key: `${machine}\\Microsoft\\Edge\\Extensions\\${CHROME_EXTENSION_ID}`, name: 'update_url', value: EDGE_ADDONS_UPDATE_URL },
  ];
}

/**
 * Every registry value the setup writes for `scope`, with `installDirectory` (NSIS: `$INSTDIR`)
 * in the manifest paths. The host keys' default value is the manifest file beside nhi-card.exe.
 */
export function windowsRegistryPlan(scope: Scope, installDirectory: string): RegistryValue[] {
  const hosts = SETUP_BROWSERS.map((browser) => ({
    key: hostKey(browser, scope),
    name: '',
    value: windowsManifestPath(installDirectory, browserFamily(browser)),
  }));
  return [...hosts, ...extensionKeys(scope)];
}

/** The manifest families the setup ships (one manifest file each, beside nhi-card.exe). */
export function setupManifestFamilies(): BrowserFamily[] {
  return [...new Set(SETUP_BROWSERS.map(browserFamily))];
}
