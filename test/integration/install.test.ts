/**
 * install -> doctor -> uninstall with the built CLI (dist/native-host/nhi-card) in a temporary HOME
 * and Chromium profile: every file install writes is checked, doctor really starts the registered
 * host (and sees hello) and reaches the rig's pcscd, and uninstall leaves the trees as they were.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../native-host/install/doctor';
import { buildHostManifest, serializeHostManifest } from '../../native-host/install/host-manifest';
import { startRig, type Rig } from '../rig/rig';

const CLI = new URL('../../dist/native-host/nhi-card', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface InstallOutput {
  readonly action: string;
  readonly launcher: string;
  readonly results: readonly { browser: string; scope: string; where: string; outcome: string; otherPath?: string }[];
}

let rig: Rig;
let root: string;
let home: string;
let profile: string;

/** Runs the built CLI with the rig's pcscd and no NHI_CARD_ALLOWED_EXTENSIONS from the caller. */
function cli(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, ...rig.env };
  delete env.NHI_CARD_ALLOWED_EXTENSIONS;
  const result = spawnSync(CLI, [...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function cliJson(args: readonly string[], expectedCode: number): unknown {
  const result = cli([...args, '--json']);
  expect(result.code, result.stderr + result.stdout).toBe(expectedCode);
  return JSON.parse(result.stdout);
}

const installJson = (args: readonly string[], expectedCode = 0): InstallOutput => cliJson(args, expectedCode) as InstallOutput;
const doctorJson = (args: readonly string[], expectedCode = 0): DoctorReport => cliJson(args, expectedCode) as DoctorReport;

/** Every path under `directory` (relative), with file contents, for before/after comparisons. */
function tree(directory: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const visit = (path: string): void => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const stats = lstatSync(full);
      entries[relative(directory, full)] = stats.isDirectory() ? '<dir>' : readFileSync(full, 'utf8');
      if (stats.isDirectory()) visit(full);
    }
  };
  visit(directory);
  return entries;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  rig = await startRig({ readers: 2 });
  await rig.insertCard(0, 'demo');
  root = mkdtempSync(join(tmpdir(), 'nhi-install-'));
  home = join(root, 'home');
  profile = join(root, 'profile');
  // As a browser leaves them after its first start: profile directories, no host manifests.
  mkdirSync(join(home, '.config', 'chromium'), { recursive: true });
  mkdirSync(join(home, '.mozilla', 'firefox'), { recursive: true });
  mkdirSync(join(profile, 'Default'), { recursive: true });
});

afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await rig.close();
});

describe('install, doctor, uninstall (built CLI, temporary HOME and profile)', () => {
  it('registers, checks and removes the host, leaving the directories as they were', () => {
    const before = tree(root);

    const user = installJson(['install', '--home', home, '--browser', 'chromium,firefox']);
    const custom = installJson(['install', '--user-data-dir', profile]);
    expect(user.launcher).toBe(CLI);
    expect(user.results).toEqual([
      { browser: 'chromium', scope: 'user', where: join(home, '.config/chromium/NativeMessagingHosts/tw.nhi_card_bridge.json'), outcome: 'created' },
      { browser: 'firefox', scope: 'user', where: join(home, '.mozilla/native-messaging-hosts/tw.nhi_card_bridge.json'), outcome: 'created' },
    ]);
    expect(custom.results).toEqual([
      { browser: 'chromium', scope: 'profile', where: join(profile, 'NativeMessagingHosts/tw.nhi_card_bridge.json'), outcome: 'created' },
    ]);

    // Exactly three new files, each the family template pointing at the built launcher.
    const chromiumManifest = serializeHostManifest(buildHostManifest('chromium', CLI));
    const firefoxManifest = serializeHostManifest(buildHostManifest('firefox', CLI));
    expect(tree(root)).toEqual({
      ...before,
      'home/.config/chromium/NativeMessagingHosts': '<dir>',
      'home/.config/chromium/NativeMessagingHosts/tw.nhi_card_bridge.json': chromiumManifest,
      'home/.mozilla/native-messaging-hosts': '<dir>',
      'home/.mozilla/native-messaging-hosts/tw.nhi_card_bridge.json': firefoxManifest,
      'profile/NativeMessagingHosts': '<dir>',
      'profile/NativeMessagingHosts/tw.nhi_card_bridge.json': chromiumManifest,
    });

    // Idempotent.
    const again = installJson(['install', '--home', home, '--browser', 'chromium,firefox']);
    expect(again.results.map((result) => result.outcome)).toEqual(['unchanged', 'unchanged']);

    // Doctor: sees the three registrations, starts the host as Chromium and as Firefox would, reaches pcscd.
    const report = doctorJson(['doctor', '--home', home, '--user-data-dir', profile]);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const ours = report.registrations.filter((registration) => registration.launcher === CLI);
    expect(ours.map((registration) => `${registration.browser}:${registration.scope}`)).toEqual(['chromium:profile', 'chromium:user', 'firefox:user']);
    expect(report.hosts.filter((host) => host.launcher === CLI).map((host) => [host.family, host.ok, host.version])).toEqual([
      ['chromium', true, VERSION],
      ['firefox', true, VERSION],
    ]);
    expect(report.pcsc).toEqual({ ok: true, readers: rig.readerNames.map((name, slot) => ({ name, cardPresent: slot === 0 })) });

    // Uninstall removes exactly that.
    const removed = installJson(['uninstall', '--home', home, '--browser', 'chromium,firefox']);
    expect(removed.results.map((result) => result.outcome)).toEqual(['removed', 'removed']);
    expect(installJson(['uninstall', '--user-data-dir', profile]).results.map((result) => result.outcome)).toEqual(['removed']);
    expect(tree(root)).toEqual(before);
  });

  it('detects installed browsers when --browser is not given', () => {
    const installed = installJson(['install', '--home', home]);
    const browsers = installed.results.map((result) => result.browser);
    // The pre-created profile directories; other browsers only if this machine has them.
    expect(browsers).toEqual(expect.arrayContaining(['chromium', 'firefox']));
    expect(installed.results.every((result) => result.outcome === 'created' && result.where.startsWith(home))).toBe(true);
    const removed = installJson(['uninstall', '--home', home]);
    expect(removed.results.filter((result) => result.outcome === 'removed').map((result) => result.browser)).toEqual(browsers);
  });

  it("leaves another installation's manifest alone and says so", () => {
    const directory = join(home, '.config/google-chrome/NativeMessagingHosts');
    mkdirSync(directory, { recursive: true });
    const foreign = serializeHostManifest(buildHostManifest('chromium', '/usr/lib/nhi-card-bridge/nhi-card-host'));
    writeFileSync(join(directory, 'tw.nhi_card_bridge.json'), foreign);

    const refused = installJson(['install', '--home', home, '--browser', 'chrome'], 1);
    expect(refused.results).toEqual([expect.objectContaining({ outcome: 'foreign', otherPath: '/usr/lib/nhi-card-bridge/nhi-card-host' })]);
    const kept = installJson(['uninstall', '--home', home, '--browser', 'chrome']);
    expect(kept.results).toEqual([expect.objectContaining({ outcome: 'foreign' })]);
    expect(readFileSync(join(directory, 'tw.nhi_card_bridge.json'), 'utf8')).toBe(foreign);
    rmSync(join(home, '.config/google-chrome'), { recursive: true });
  });

  it('doctor starts a registered host and reports why it fails to say hello', () => {
    const broken = join(root, 'broken-host');
    writeFileSync(broken, "#!/bin/sh\necho 'nhi-card: the PC/SC addon failed to load' >&2\nexit 1\n");
    chmodSync(broken, 0o755);
    const directory = join(root, 'broken-profile', 'NativeMessagingHosts');
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'tw.nhi_card_bridge.json'), serializeHostManifest(buildHostManifest('chromium', broken)));

    const report = doctorJson(['doctor', '--home', home, '--user-data-dir', join(root, 'broken-profile')], 1);
    expect(report.hosts.find((host) => host.launcher === broken)).toMatchObject({ ok: false });
    expect(report.problems).toContainEqual({
      problem: `the host ${broken}, started as Chrome starts it, did not say hello: it exited (code 1) before answering: nhi-card: the PC/SC addon failed to load`,
      fix: expect.stringContaining('--version') as unknown,
    });
  });
});
