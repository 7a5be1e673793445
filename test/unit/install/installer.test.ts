import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browserFamily, type Browser } from '../../../native-host/install/browsers';
import { profileManifestLocation } from '../../../native-host/install/host-locations';
import { buildHostManifest, serializeHostManifest } from '../../../native-host/install/host-manifest';
import type { InstallTarget } from '../../../native-host/install/install-plan';
import { installTargets, uninstallTargets, type InstallerContext } from '../../../native-host/install/installer';
import type { RegistryRunner } from '../../../native-host/install/registry-commands';

const LAUNCHER = '/opt/nhi/dist/native-host/nhi-card';
const noRegistry: RegistryRunner = { run: () => Promise.reject(new Error('no registry on Linux')) };
const context: InstallerContext = { platform: 'linux', launcherPath: LAUNCHER, extraIds: { chromium: [], firefox: [] }, registry: noRegistry };

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nhi-installer-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function target(browser: Browser, subdirectory: string): InstallTarget {
  return { browser, family: browserFamily(browser), scope: 'profile', location: profileManifestLocation('linux', join(dir, subdirectory)) };
}

const manifestPath = (subdirectory: string): string => join(dir, subdirectory, 'NativeMessagingHosts', 'tw.nhi_card_bridge.json');

describe('installTargets', () => {
  it('writes one manifest per target from the family template, readable by everyone', async () => {
    const results = await installTargets([target('chromium', 'a'), target('firefox', 'b')], context);
    expect(results.map((result) => result.outcome)).toEqual(['created', 'created']);
    expect(readFileSync(manifestPath('a'), 'utf8')).toBe(serializeHostManifest(buildHostManifest('chromium', LAUNCHER)));
    expect(readFileSync(manifestPath('b'), 'utf8')).toBe(serializeHostManifest(buildHostManifest('firefox', LAUNCHER)));
    expect(statSync(manifestPath('a')).mode & 0o777).toBe(0o644);
    expect(readdirSync(join(dir, 'a', 'NativeMessagingHosts'))).toEqual(['tw.nhi_card_bridge.json']);
  });

  it('is idempotent: a second install changes nothing', async () => {
    await installTargets([target('chromium', 'a')], context);
    const before = statSync(manifestPath('a')).mtimeMs;
    const results = await installTargets([target('chromium', 'a')], context);
    expect(results.map((result) => result.outcome)).toEqual(['unchanged']);
    expect(statSync(manifestPath('a')).mtimeMs).toBe(before);
  });

  it('updates its own manifest when the allowed extensions change', async () => {
    await installTargets([target('chromium', 'a')], context);
    const devContext = { ...context, extraIds: { chromium: ['abcdefghijklmnopabcdefghijklmnop'], firefox: [] } };
    expect((await installTargets([target('chromium', 'a')], devContext)).map((result) => result.outcome)).toEqual(['updated']);
    expect(readFileSync(manifestPath('a'), 'utf8')).toContain('chrome-extension://abcdefghijklmnopabcdefghijklmnop/');
  });

  it("leaves another installation's manifest alone unless forced", async () => {
    const foreign = serializeHostManifest(buildHostManifest('chromium', '/usr/lib/nhi-card-bridge/nhi-card-host'));
    mkdirSync(join(dir, 'a', 'NativeMessagingHosts'), { recursive: true });
    writeFileSync(manifestPath('a'), foreign);
    const [result] = await installTargets([target('chromium', 'a')], context);
    expect(result).toMatchObject({ outcome: 'foreign', otherPath: '/usr/lib/nhi-card-bridge/nhi-card-host' });
    expect(readFileSync(manifestPath('a'), 'utf8')).toBe(foreign);
    expect((await installTargets([target('chromium', 'a')], context, true)).map((r) => r.outcome)).toEqual(['updated']);
  });
});

describe('uninstallTargets', () => {
  it('removes what install wrote, and the directory it left empty', async () => {
    await installTargets([target('chromium', 'a')], context);
    const results = await uninstallTargets([target('chromium', 'a')], context);
    expect(results.map((result) => result.outcome)).toEqual(['removed']);
    expect(existsSync(join(dir, 'a', 'NativeMessagingHosts'))).toBe(false);
    expect(existsSync(join(dir, 'a'))).toBe(true);
  });

  it('keeps a directory that holds other hosts', async () => {
    await installTargets([target('chromium', 'a')], context);
    writeFileSync(join(dir, 'a', 'NativeMessagingHosts', 'com.example.other.json'), '{}');
    await uninstallTargets([target('chromium', 'a')], context);
    expect(readdirSync(join(dir, 'a', 'NativeMessagingHosts'))).toEqual(['com.example.other.json']);
  });

  it.each([
    ['another installation', serializeHostManifest(buildHostManifest('chromium', '/somewhere/else'))],
    ['a file that is not JSON', 'not json'],
  ])('never deletes a same-named manifest of %s', async (_case, text) => {
    mkdirSync(join(dir, 'a', 'NativeMessagingHosts'), { recursive: true });
    writeFileSync(manifestPath('a'), text);
    expect((await uninstallTargets([target('chromium', 'a')], context)).map((result) => result.outcome)).toEqual(['foreign']);
    expect(readFileSync(manifestPath('a'), 'utf8')).toBe(text);
  });

  it('reports nothing to remove where nothing is', async () => {
    expect((await uninstallTargets([target('firefox', 'b')], context)).map((result) => result.outcome)).toEqual(['absent']);
  });
});
