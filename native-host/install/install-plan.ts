/**
 * Which manifest locations an `install`/`uninstall` touches, from the command-line options:
 * pure, given the platform, the user directories and an existence check for detection.
 */
import { BROWSERS, browserFamily, type Browser, type BrowserFamily, type Platform, type Scope } from './browsers';
import { manifestLocation, presencePaths, profileManifestLocation, type ManifestLocation, type UserDirs } from './host-locations';

export interface InstallRequest {
  /** --browser; undefined means every installed browser (install) or every known one (uninstall). */
  readonly browsers: readonly Browser[] | undefined;
  /** --system */
  readonly system: boolean;
  /** --user-data-dir: a Chromium profile directory. */
  readonly userDataDir: string | undefined;
  /** --home: the home directory per-user locations are relative to. */
  readonly home: string | undefined;
}

/** One manifest location to write or remove. */
export interface InstallTarget {
  readonly browser: Browser;
  readonly family: BrowserFamily;
  /** 'profile' for a --user-data-dir target. */
  readonly scope: Scope | 'profile';
  readonly location: ManifestLocation;
}

export interface PlanContext {
  readonly platform: Platform;
  readonly dirs: UserDirs;
  readonly exists: (path: string) => boolean;
}

/** A request the options cannot express; the message says what to do instead. */
export class InstallUsageError extends Error {
  override readonly name = 'InstallUsageError';
}

/** Browsers whose profile directory or program exists. */
export function detectBrowsers(context: PlanContext): Browser[] {
  return BROWSERS.filter((browser) => presencePaths(context.platform, browser, context.dirs).some(context.exists));
}

function checkRequest(request: InstallRequest): void {
  if (request.system && request.userDataDir !== undefined) {
    throw new InstallUsageError('--user-data-dir names one profile; it cannot be combined with --system');
  }
  if (request.system && request.home !== undefined) {
    throw new InstallUsageError('--home applies to per-user installs; it cannot be combined with --system');
  }
}

/** The targets for --user-data-dir: its Chromium-family browser into the profile, Firefox (with --home) into the home. */
function profileTargets(request: InstallRequest, userDataDir: string, context: PlanContext): InstallTarget[] {
  const requested = request.browsers ?? (request.home === undefined ? ['chromium'] : ['chromium', 'firefox']);
  const chromiumFamily = requested.filter((browser) => browserFamily(browser) === 'chromium');
  if (chromiumFamily.length > 1) {
    throw new InstallUsageError(`--user-data-dir is one profile of one browser; got ${chromiumFamily.join(', ')}`);
  }
  const hasFirefox = requested.includes('firefox');
  if (hasFirefox && request.home === undefined) {
    throw new InstallUsageError('--user-data-dir is for Chromium-family browsers; for Firefox give --home DIR');
  }
  const targets: InstallTarget[] = [];
  const profileBrowser = chromiumFamily[0] ?? (hasFirefox ? undefined : 'chromium');
  if (profileBrowser !== undefined) {
    targets.push({ browser: profileBrowser, family: 'chromium', scope: 'profile', location: profileManifestLocation(context.platform, userDataDir) });
  }
  if (hasFirefox) {
    targets.push({ browser: 'firefox', family: 'firefox', scope: 'user', location: manifestLocation(context.platform, 'firefox', 'user', context.dirs) });
  }
  return targets;
}

/**
 * The locations `install` writes: --browser's, or every installed browser's (detected by profile
 * directory or program); per-user unless --system. Throws InstallUsageError when nothing fits.
 */
export function planInstall(request: InstallRequest, context: PlanContext): InstallTarget[] {
  checkRequest(request);
  if (request.userDataDir !== undefined) return profileTargets(request, request.userDataDir, context);
  const browsers = request.browsers ?? detectBrowsers(context);
  if (browsers.length === 0) {
    throw new InstallUsageError(`no supported browser found; name one with --browser (${BROWSERS.join(', ')})`);
  }
  return targetsFor(browsers, request.system ? 'system' : 'user', context);
}

/**
 * The locations `uninstall` looks at: --browser's, or every known browser's for the scope (so a
 * registration survives no uninstall because its browser has since been removed).
 */
export function planUninstall(request: InstallRequest, context: PlanContext): InstallTarget[] {
  checkRequest(request);
  if (request.userDataDir !== undefined) return profileTargets(request, request.userDataDir, context);
  return targetsFor(request.browsers ?? BROWSERS, request.system ? 'system' : 'user', context);
}

function targetsFor(browsers: readonly Browser[], scope: Scope, context: PlanContext): InstallTarget[] {
  return browsers.map((browser) => ({
    browser,
    family: browserFamily(browser),
    scope,
    location: manifestLocation(context.platform, browser, scope, context.dirs),
  }));
}
