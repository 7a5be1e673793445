import { describe, expect, it } from 'vitest';
import { BROWSERS, type Browser } from '../../../native-host/install/browsers';
import {
  MANIFEST_FILE_NAME,
  manifestLocation,
  presencePaths,
  profileManifestLocation,
  userDirs,
  windowsManifestPath,
  type UserDirs,
} from '../../../native-host/install/host-locations';

const LINUX_DIRS: UserDirs = userDirs('linux', '/home/ming', {}, false);
const MAC_DIRS: UserDirs = userDirs('darwin', '/Users/ming', {}, false);
const WINDOWS_DIRS: UserDirs = userDirs('win32', 'C:\\Users\\ming', { LOCALAPPDATA: 'C:\\Users\\ming\\AppData\\Local' }, false);

describe('the host manifest table', () => {
  it.each<[Browser, string, string]>([
    ['chrome', '/home/ming/.config/google-chrome/NativeMessagingHosts', '/etc/opt/chrome/native-messaging-hosts'],
    ['chromium', '/home/ming/.config/chromium/NativeMessagingHosts', '/etc/chromium/native-messaging-hosts'],
    ['edge', '/home/ming/.config/microsoft-edge/NativeMessagingHosts', '/etc/opt/edge/native-messaging-hosts'],
    ['brave', '/home/ming/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts', '/etc/brave/native-messaging-hosts'],
    ['vivaldi', '/home/ming/.config/vivaldi/NativeMessagingHosts', '/etc/opt/vivaldi/native-messaging-hosts'],
    ['firefox', '/home/ming/.mozilla/native-messaging-hosts', '/usr/lib/mozilla/native-messaging-hosts'],
  ])('Linux %s: per user %s, system-wide %s', (browser, user, system) => {
    expect(manifestLocation('linux', browser, 'user', LINUX_DIRS)).toEqual({ kind: 'file', directory: user, manifestPath: `${user}/${MANIFEST_FILE_NAME}` });
    expect(manifestLocation('linux', browser, 'system', LINUX_DIRS)).toEqual({ kind: 'file', directory: system, manifestPath: `${system}/${MANIFEST_FILE_NAME}` });
  });

  it.each<[Browser, string, string]>([
    ['chrome', '/Users/ming/Library/Application Support/Google/Chrome/NativeMessagingHosts', '/Library/Google/Chrome/NativeMessagingHosts'],
    ['chromium', '/Users/ming/Library/Application Support/Chromium/NativeMessagingHosts', '/Library/Application Support/Chromium/NativeMessagingHosts'],
    ['edge', '/Users/ming/Library/Application Support/Microsoft Edge/NativeMessagingHosts', '/Library/Microsoft/Edge/NativeMessagingHosts'],
    [
      'brave',
      '/Users/ming/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts',
      '/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts',
    ],
    ['vivaldi', '/Users/ming/Library/Application Support/Vivaldi/NativeMessagingHosts', '/Library/Application Support/Vivaldi/NativeMessagingHosts'],
    ['firefox', '/Users/ming/Library/Application Support/Mozilla/NativeMessagingHosts', '/Library/Application Support/Mozilla/NativeMessagingHosts'],
  ])('macOS %s: per user %s, system-wide %s', (browser, user, system) => {
    expect(manifestLocation('darwin', browser, 'user', MAC_DIRS)).toMatchObject({ kind: 'file', directory: user });
    expect(manifestLocation('darwin', browser, 'system', MAC_DIRS)).toMatchObject({ kind: 'file', directory: system });
  });

  it.each<[Browser, string]>([
    ['chrome', 'Software\\Google\\Chrome\\NativeMessagingHosts\\tw.nhi_card_bridge'],
    ['chromium', 'Software\\Chromium\\NativeMessagingHosts\\tw.nhi_card_bridge'],
    ['edge', 'Software\\Microsoft\\Edge\\NativeMessagingHosts\\tw.nhi_card_bridge'],
    ['brave', 'Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\tw.nhi_card_bridge'],
    ['vivaldi', 'Software\\Vivaldi\\NativeMessagingHosts\\tw.nhi_card_bridge'],
    ['firefox', 'Software\\Mozilla\\NativeMessagingHosts\\tw.nhi_card_bridge'],
  ])('Windows %s: HKCU and HKLM %s', (browser, key) => {
    expect(manifestLocation('win32', browser, 'user', WINDOWS_DIRS)).toEqual({ kind: 'registry', key: `HKCU\\${key}` });
    expect(manifestLocation('win32', browser, 'system', WINDOWS_DIRS)).toEqual({ kind: 'registry', key: `HKLM\\${key}` });
  });

  it('covers every browser on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const dirs = platform === 'win32' ? WINDOWS_DIRS : platform === 'darwin' ? MAC_DIRS : LINUX_DIRS;
      for (const browser of BROWSERS) {
        expect(presencePaths(platform, browser, dirs).length).toBeGreaterThan(0);
      }
    }
  });
});

describe('userDirs', () => {
  it('honours XDG_CONFIG_HOME for Chromium profiles on Linux', () => {
    const dirs = userDirs('linux', '/home/ming', { XDG_CONFIG_HOME: '/data/config' }, false);
    expect(manifestLocation('linux', 'chromium', 'user', dirs)).toMatchObject({ directory: '/data/config/chromium/NativeMessagingHosts' });
    expect(manifestLocation('linux', 'firefox', 'user', dirs)).toMatchObject({ directory: '/home/ming/.mozilla/native-messaging-hosts' });
  });

  it('ignores the environment when --home is given', () => {
    const dirs = userDirs('linux', '/tmp/h', { XDG_CONFIG_HOME: '/data/config' }, true);
    expect(dirs.configHome).toBe('/tmp/h/.config');
  });

  it('ignores a relative XDG_CONFIG_HOME, as the XDG spec says', () => {
    expect(userDirs('linux', '/home/ming', { XDG_CONFIG_HOME: 'config' }, false).configHome).toBe('/home/ming/.config');
  });

  it('finds Windows profiles under LOCALAPPDATA and APPDATA', () => {
    const dirs = userDirs('win32', 'C:\\Users\\ming', { LOCALAPPDATA: 'D:\\Local', APPDATA: 'D:\\Roaming' }, false);
    expect(presencePaths('win32', 'chrome', dirs)).toEqual(['D:\\Local\\Google\\Chrome\\User Data']);
    expect(presencePaths('win32', 'firefox', dirs)).toEqual(['D:\\Roaming\\Mozilla\\Firefox']);
  });
});

describe('custom profiles and Windows manifest files', () => {
  it('puts a --user-data-dir manifest in <dir>/NativeMessagingHosts', () => {
    expect(profileManifestLocation('linux', '/tmp/profile')).toEqual({
      kind: 'file',
      directory: '/tmp/profile/NativeMessagingHosts',
      manifestPath: '/tmp/profile/NativeMessagingHosts/tw.nhi_card_bridge.json',
    });
  });

  it('refuses --user-data-dir on Windows, where Chromium reads the registry only', () => {
    expect(() => profileManifestLocation('win32', 'C:\\profile')).toThrow(/registry only/);
  });

  it.each([
    ['chromium', 'C:\\Tools\\nhi\\tw.nhi_card_bridge.chromium.json'],
    ['firefox', 'C:\\Tools\\nhi\\tw.nhi_card_bridge.firefox.json'],
  ] as const)('writes the Windows %s manifest beside the host', (family, path) => {
    expect(windowsManifestPath('C:\\Tools\\nhi', family)).toBe(path);
  });
});
