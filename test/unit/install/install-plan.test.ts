import { describe, expect, it } from 'vitest';
import type { Browser } from '../../../native-host/install/browsers';
import { parseBrowserList } from '../../../native-host/install/browsers';
import { userDirs } from '../../../native-host/install/host-locations';
import { detectBrowsers, InstallUsageError, planInstall, planUninstall, type InstallRequest, type PlanContext } from '../../../native-host/install/install-plan';

const dirs = userDirs('linux', '/home/ming', {}, false);

/** A machine where exactly `present` exist. */
function machine(present: readonly string[]): PlanContext {
  return { platform: 'linux', dirs, exists: (path) => present.includes(path) };
}

const request = (overrides: Partial<InstallRequest> = {}): InstallRequest => ({
  browsers: undefined,
  system: false,
  userDataDir: undefined,
  home: undefined,
  ...overrides,
});

const where = (targets: ReturnType<typeof planInstall>): string[] =>
  targets.map((target) => `${target.browser}:${target.scope}:${target.location.kind === 'file' ? target.location.directory : target.location.key}`);

describe('detecting installed browsers', () => {
  it.each<[string, string[], Browser[]]>([
    ['a Chromium profile', ['/home/ming/.config/chromium'], ['chromium']],
    ['the Chromium program only', ['/usr/bin/chromium'], ['chromium']],
    ['Firefox ESR and Google Chrome', ['/usr/bin/firefox-esr', '/opt/google/chrome/chrome'], ['chrome', 'firefox']],
    ['a Brave profile', ['/home/ming/.config/BraveSoftware/Brave-Browser'], ['brave']],
    ['nothing', [], []],
  ])('finds %s', (_case, present, browsers) => {
    expect(detectBrowsers(machine(present))).toEqual(browsers);
  });
});

describe('planInstall', () => {
  it('registers every installed browser per user by default', () => {
    expect(where(planInstall(request(), machine(['/usr/bin/chromium', '/home/ming/.mozilla'])))).toEqual([
      'chromium:user:/home/ming/.config/chromium/NativeMessagingHosts',
      'firefox:user:/home/ming/.mozilla/native-messaging-hosts',
    ]);
  });

  it('registers system-wide with --system', () => {
    expect(where(planInstall(request({ system: true, browsers: ['chrome', 'firefox'] }), machine([])))).toEqual([
      'chrome:system:/etc/opt/chrome/native-messaging-hosts',
      'firefox:system:/usr/lib/mozilla/native-messaging-hosts',
    ]);
  });

  it('registers a named browser even when it is not detected', () => {
    expect(where(planInstall(request({ browsers: ['edge'] }), machine([])))).toEqual(['edge:user:/home/ming/.config/microsoft-edge/NativeMessagingHosts']);
  });

  it('says what to do when no browser is found', () => {
    expect(() => planInstall(request(), machine([]))).toThrow(/no supported browser found; name one with --browser/);
  });

  it.each<[string, Partial<InstallRequest>, Browser[] | undefined, string[]]>([
    ['defaults to Chromium', { userDataDir: '/tmp/p' }, undefined, ['chromium:profile:/tmp/p/NativeMessagingHosts']],
    ['takes a named Chromium-family browser', { userDataDir: '/tmp/p' }, ['brave'], ['brave:profile:/tmp/p/NativeMessagingHosts']],
    [
      'adds Firefox under --home',
      { userDataDir: '/tmp/p', home: '/tmp/h' },
      undefined,
      ['chromium:profile:/tmp/p/NativeMessagingHosts', 'firefox:user:/tmp/h/.mozilla/native-messaging-hosts'],
    ],
  ])('--user-data-dir %s', (_case, overrides, browsers, expected) => {
    const home = overrides.home;
    const context = home === undefined ? machine([]) : { ...machine([]), dirs: userDirs('linux', home, {}, true) };
    expect(where(planInstall(request({ ...overrides, browsers }), context))).toEqual(expected);
  });

  it.each<[string, Partial<InstallRequest>, RegExp]>([
    ['--user-data-dir with --system', { userDataDir: '/tmp/p', system: true }, /cannot be combined with --system/],
    ['--home with --system', { home: '/tmp/h', system: true }, /per-user installs/],
    ['--user-data-dir for Firefox without --home', { userDataDir: '/tmp/p', browsers: ['firefox'] }, /for Firefox give --home/],
    ['--user-data-dir for two Chromium browsers', { userDataDir: '/tmp/p', browsers: ['chrome', 'edge'] }, /one profile of one browser/],
  ])('refuses %s', (_case, overrides, message) => {
    expect(() => planInstall(request(overrides), machine([]))).toThrow(InstallUsageError);
    expect(() => planInstall(request(overrides), machine([]))).toThrow(message);
  });
});

describe('planUninstall', () => {
  it('looks at every known browser, installed or not', () => {
    expect(planUninstall(request(), machine([])).map((target) => target.browser)).toEqual(['chrome', 'chromium', 'edge', 'brave', 'vivaldi', 'firefox']);
  });
});

describe('parseBrowserList', () => {
  it('takes a comma-separated list, case-insensitively, once each', () => {
    expect(parseBrowserList('Chrome, firefox,chrome')).toEqual(['chrome', 'firefox']);
  });

  it('names the known browsers when one is unknown', () => {
    expect(() => parseBrowserList('opera')).toThrow('unknown browser "opera": choose from chrome, chromium, edge, brave, vivaldi, firefox');
  });
});
