/**
 * The browsers the installer knows, and which host-manifest template each one reads: Chromium
 * derivatives take `allowed_origins`, Firefox takes `allowed_extensions`.
 */

export const BROWSERS = ['chrome', 'chromium', 'edge', 'brave', 'vivaldi', 'firefox'] as const;
export type Browser = (typeof BROWSERS)[number];

/** The host-manifest template a browser reads. */
export type BrowserFamily = 'chromium' | 'firefox';

/** The operating systems the installer supports (values of `process.platform`). */
export const PLATFORMS = ['linux', 'darwin', 'win32'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Per-user (the default) or for every user of the machine (`--system`, needs root/admin). */
export type Scope = 'user' | 'system';

export const BROWSER_LABELS: Readonly<Record<Browser, string>> = {
  chrome: 'Google Chrome',
  chromium: 'Chromium',
  edge: 'Microsoft Edge',
  brave: 'Brave',
  vivaldi: 'Vivaldi',
  firefox: 'Firefox',
};

/** The manifest template `browser` reads. */
export function browserFamily(browser: Browser): BrowserFamily {
  return browser === 'firefox' ? 'firefox' : 'chromium';
}

/** True for a name the installer knows. */
export function isBrowser(name: string): name is Browser {
  return (BROWSERS as readonly string[]).includes(name);
}

/** True for a platform the installer supports. */
export function isPlatform(name: string): name is Platform {
  return (PLATFORMS as readonly string[]).includes(name);
}

/** Parses `--browser chrome,firefox`; throws naming the unknown browser and the known ones. */
export function parseBrowserList(value: string): Browser[] {
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
  if (names.length === 0) throw new Error(`--browser needs a name: ${BROWSERS.join(', ')}`);
  const browsers: Browser[] = [];
  for (const name of names) {
    if (!isBrowser(name)) throw new Error(`unknown browser "${name}": choose from ${BROWSERS.join(', ')}`);
    if (!browsers.includes(name)) browsers.push(name);
  }
  return browsers;
}
