/**
 * Where each browser looks for native messaging host manifests: one table of (OS x browser) ->
 * per-user and system-wide location (a directory on Linux and macOS, a registry key on Windows),
 * plus the hints that tell whether the browser is installed. Pure data and path arithmetic: no I/O.
 *
 * Sources: the Chrome, Edge and Firefox native messaging documentation; Brave and Vivaldi follow
 * their Chromium base with their own directory names. Chromium started with a custom
 * `--user-data-dir` reads `<dir>/NativeMessagingHosts/` only (profileManifestPath).
 */
import { posix, win32 } from 'node:path';
import { NATIVE_HOST_NAME } from '../protocol/extension-ids';
import type { Browser, BrowserFamily, Platform, Scope } from './browsers';

/** The file name every browser expects: the host name plus `.json`. */
export const MANIFEST_FILE_NAME = `${NATIVE_HOST_NAME}.json`;

/** The directories per-user locations are relative to. */
export interface UserDirs {
  /** The home directory ($HOME, or --home). */
  readonly home: string;
  /** Linux: $XDG_CONFIG_HOME, else ~/.config (Chromium browsers keep their profiles there). */
  readonly configHome: string;
  /** Windows: %LOCALAPPDATA% (Chromium browsers' "User Data"). */
  readonly localAppData: string;
  /** Windows: %APPDATA% (Firefox profiles). */
  readonly appData: string;
}

type Base = keyof UserDirs | 'root';

/** A path relative to one of UserDirs, or absolute ('root'); always written with '/'. */
interface PathSpec {
  readonly base: Base;
  readonly path: string;
}

interface FileRow {
  readonly user: PathSpec;
  readonly system: PathSpec;
  /** Exists when the browser is installed: its profile directory or its program. */
  readonly presence: readonly PathSpec[];
}

interface RegistryRow {
  /** Under HKCU (user) or HKLM (system); the host name is appended. */
  readonly subkey: string;
  readonly presence: readonly PathSpec[];
}

const home = (path: string): PathSpec => ({ base: 'home', path });
const config = (path: string): PathSpec => ({ base: 'configHome', path });
const root = (path: string): PathSpec => ({ base: 'root', path });
const local = (path: string): PathSpec => ({ base: 'localAppData', path });
const roaming = (path: string): PathSpec => ({ base: 'appData', path });

const LINUX: Readonly<Record<Browser, FileRow>> = {
  chrome: {
    user: config('google-chrome/NativeMessagingHosts'),
    system: root('/etc/opt/chrome/native-messaging-hosts'),
    presence: [config('google-chrome'), root('/opt/google/chrome/chrome'), root('/usr/bin/google-chrome')],
  },
  chromium: {
    user: config('chromium/NativeMessagingHosts'),
    system: root('/etc/chromium/native-messaging-hosts'),
    presence: [config('chromium'), root('/usr/bin/chromium'), root('/usr/lib/chromium/chromium'), root('/usr/bin/chromium-browser')],
  },
  edge: {
    user: config('microsoft-edge/NativeMessagingHosts'),
    system: root('/etc/opt/edge/native-messaging-hosts'),
    presence: [config('microsoft-edge'), root('/opt/microsoft/msedge/msedge'), root('/usr/bin/microsoft-edge')],
  },
  brave: {
    user: config('BraveSoftware/Brave-Browser/NativeMessagingHosts'),
    // Brave keeps its machine-wide settings under /etc/brave (policies too).
    system: root('/etc/brave/native-messaging-hosts'),
    presence: [config('BraveSoftware/Brave-Browser'), root('/opt/brave.com/brave/brave'), root('/usr/bin/brave-browser')],
  },
  vivaldi: {
    user: config('vivaldi/NativeMessagingHosts'),
    system: root('/etc/opt/vivaldi/native-messaging-hosts'),
    presence: [config('vivaldi'), root('/opt/vivaldi/vivaldi'), root('/usr/bin/vivaldi')],
  },
  firefox: {
    user: home('.mozilla/native-messaging-hosts'),
    system: root('/usr/lib/mozilla/native-messaging-hosts'),
    presence: [home('.mozilla'), root('/usr/bin/firefox'), root('/usr/bin/firefox-esr'), root('/usr/lib/firefox-esr/firefox-esr')],
  },
};

const MAC: Readonly<Record<Browser, FileRow>> = {
  chrome: {
    user: home('Library/Application Support/Google/Chrome/NativeMessagingHosts'),
    system: root('/Library/Google/Chrome/NativeMessagingHosts'),
    presence: [home('Library/Application Support/Google/Chrome'), root('/Applications/Google Chrome.app')],
  },
  chromium: {
    user: home('Library/Application Support/Chromium/NativeMessagingHosts'),
    system: root('/Library/Application Support/Chromium/NativeMessagingHosts'),
    presence: [home('Library/Application Support/Chromium'), root('/Applications/Chromium.app')],
  },
  edge: {
    user: home('Library/Application Support/Microsoft Edge/NativeMessagingHosts'),
    system: root('/Library/Microsoft/Edge/NativeMessagingHosts'),
    presence: [home('Library/Application Support/Microsoft Edge'), root('/Applications/Microsoft Edge.app')],
  },
  brave: {
    user: home('Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts'),
    system: root('/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts'),
    presence: [home('Library/Application Support/BraveSoftware/Brave-Browser'), root('/Applications/Brave Browser.app')],
  },
  vivaldi: {
    user: home('Library/Application Support/Vivaldi/NativeMessagingHosts'),
    system: root('/Library/Application Support/Vivaldi/NativeMessagingHosts'),
    presence: [home('Library/Application Support/Vivaldi'), root('/Applications/Vivaldi.app')],
  },
  firefox: {
    user: home('Library/Application Support/Mozilla/NativeMessagingHosts'),
    system: root('/Library/Application Support/Mozilla/NativeMessagingHosts'),
    presence: [home('Library/Application Support/Firefox'), root('/Applications/Firefox.app')],
  },
};

const WINDOWS: Readonly<Record<Browser, RegistryRow>> = {
  chrome: { subkey: 'Software\\Google\\Chrome\\NativeMessagingHosts', presence: [local('Google/Chrome/User Data')] },
  chromium: { subkey: 'Software\\Chromium\\NativeMessagingHosts', presence: [local('Chromium/User Data')] },
  edge: { subkey: 'Software\\Microsoft\\Edge\\NativeMessagingHosts', presence: [local('Microsoft/Edge/User Data')] },
  brave: {
    subkey: 'Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts',
    presence: [local('BraveSoftware/Brave-Browser/User Data')],
  },
  vivaldi: { subkey: 'Software\\Vivaldi\\NativeMessagingHosts', presence: [local('Vivaldi/User Data')] },
  firefox: { subkey: 'Software\\Mozilla\\NativeMessagingHosts', presence: [roaming('Mozilla/Firefox')] },
};

/** Where one browser finds our host manifest. */
export type ManifestLocation =
  | { readonly kind: 'file'; readonly directory: string; readonly manifestPath: string }
  /** `key` names the hive (HKCU/HKLM); its default value is the manifest's path. */
  | { readonly kind: 'registry'; readonly key: string };

function pathModule(platform: Platform): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

function resolveSpec(platform: Platform, spec: PathSpec, dirs: UserDirs): string {
  const path = pathModule(platform);
  const relative = spec.path.split('/');
  return spec.base === 'root' ? path.join(spec.path) : path.join(dirs[spec.base], ...relative);
}

/** The manifest location of `browser` on `platform` for `scope` (the table lookup). */
export function manifestLocation(platform: Platform, browser: Browser, scope: Scope, dirs: UserDirs): ManifestLocation {
  if (platform === 'win32') {
    const hive = scope === 'user' ? 'HKCU' : 'HKLM';
    return { kind: 'registry', key: `${hive}\\${WINDOWS[browser].subkey}\\${NATIVE_HOST_NAME}` };
  }
  const row = (platform === 'darwin' ? MAC : LINUX)[browser];
  const directory = resolveSpec(platform, scope === 'user' ? row.user : row.system, dirs);
  return { kind: 'file', directory, manifestPath: pathModule(platform).join(directory, MANIFEST_FILE_NAME) };
}

/** Paths whose existence shows that `browser` is installed (profile directory or program). */
export function presencePaths(platform: Platform, browser: Browser, dirs: UserDirs): string[] {
  const row = platform === 'win32' ? WINDOWS[browser] : (platform === 'darwin' ? MAC : LINUX)[browser];
  return row.presence.map((spec) => resolveSpec(platform, spec, dirs));
}

/**
 * The manifest a Chromium-family browser started with `--user-data-dir=<userDataDir>` reads (it
 * ignores every other location then). Not on Windows, where Chromium reads the registry only.
 */
export function profileManifestLocation(platform: Platform, userDataDir: string): ManifestLocation {
  if (platform === 'win32') throw new Error('--user-data-dir is not supported on Windows: Chromium there finds hosts through the registry only');
  const directory = posix.join(userDataDir, 'NativeMessagingHosts');
  return { kind: 'file', directory, manifestPath: posix.join(directory, MANIFEST_FILE_NAME) };
}

/** Windows: the manifest file the registry points at, beside the host launcher (one per template). */
export function windowsManifestPath(hostDirectory: string, family: BrowserFamily): string {
  return win32.join(hostDirectory, `${NATIVE_HOST_NAME}.${family}.json`);
}

/** The usual user directories for `home` on `platform`, honouring XDG_CONFIG_HOME/LOCALAPPDATA/APPDATA unless `home` was given explicitly. */
export function userDirs(platform: Platform, homeDir: string, env: Readonly<Record<string, string | undefined>>, explicitHome: boolean): UserDirs {
  const path = pathModule(platform);
  const fromEnv = (name: string): string | undefined => {
    const value = env[name];
    return !explicitHome && value !== undefined && path.isAbsolute(value) ? value : undefined;
  };
  return {
    home: homeDir,
    configHome: fromEnv('XDG_CONFIG_HOME') ?? path.join(homeDir, '.config'),
    localAppData: fromEnv('LOCALAPPDATA') ?? path.join(homeDir, 'AppData', 'Local'),
    appData: fromEnv('APPDATA') ?? path.join(homeDir, 'AppData', 'Roaming'),
  };
}
