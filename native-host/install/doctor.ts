/**
 * `nhi-card doctor`: what is registered where, whether each registration's launcher exists, is
 * executable and answers `hello` when started as a browser starts it, and whether PC/SC (pcscd)
 * is reachable with a reader. Every problem comes with a fix in plain words.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { isAbsolute, win32 } from 'node:path';
import { asNhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import { NATIVE_HOST_NAME } from '../protocol/extension-ids';
import type { ReaderInfo } from '../pcsc/reader-service';
import { BROWSERS, BROWSER_LABELS, browserFamily, type Browser, type BrowserFamily, type Platform, type Scope } from './browsers';
import { manifestLocation, profileManifestLocation, type ManifestLocation, type UserDirs } from './host-locations';
import { allowsOurExtension, parseHostManifest } from './host-manifest';
import type { ProbeRequest, ProbeResult } from './host-probe';
import { parseRegQueryDefault, regQueryCommand, type RegistryRunner } from './registry-commands';

/** Something wrong, and what to do about it. */
export interface Problem {
  readonly problem: string;
  readonly fix: string;
}

export interface RegistrationReport {
  readonly browser: Browser;
  readonly scope: Scope | 'profile';
  /** The manifest file, or the registry key on Windows. */
  readonly where: string;
  /** The manifest file (on Windows: the registry key's value), when known. */
  readonly manifestPath: string | null;
  /** The manifest's `path`: the launcher the browser starts. */
  readonly launcher: string | null;
  readonly problems: readonly Problem[];
}

export interface HostReport {
  readonly launcher: string;
  readonly family: BrowserFamily;
  readonly ok: boolean;
  /** The host's version from hello. */
  readonly version?: string;
  readonly protocol?: number;
  readonly ms: number;
  readonly problem?: Problem;
}

export interface PcscReport {
  readonly ok: boolean;
  readonly readers: readonly { readonly name: string; readonly cardPresent: boolean }[];
  readonly problem?: Problem;
}

/** The Node.js runtime the command runs on, and the flags it was started with (a packaged host's own). */
export interface RuntimeReport {
  readonly node: string;
  readonly flags: readonly string[];
}

export interface DoctorReport {
  readonly ok: boolean;
  readonly runtime: RuntimeReport;
  readonly registrations: readonly RegistrationReport[];
  readonly hosts: readonly HostReport[];
  readonly pcsc: PcscReport;
  /** Every problem above, in order. */
  readonly problems: readonly Problem[];
}

export interface DoctorContext {
  readonly platform: Platform;
  readonly dirs: UserDirs;
  /** --user-data-dir: also inspect this Chromium profile. */
  readonly userDataDir: string | undefined;
  readonly registry: RegistryRunner;
  /** The environment hosts are started with (a browser passes its own). */
  readonly env: NodeJS.ProcessEnv;
  readonly probe: (request: ProbeRequest) => Promise<ProbeResult>;
  readonly probeTimeoutMs: number;
  /** PC/SC reader list; rejects with an NhiCardError (PCSC_UNAVAILABLE when pcscd is unreachable). */
  readonly listReaders: () => Promise<readonly ReaderInfo[]>;
  /** This process's runtime: the CLI and the host share the launcher (or the executable) and its flags. */
  readonly runtime: RuntimeReport;
}

const REINSTALL = 'run `nhi-card install` again (or reinstall the nhi-card-bridge package)';

interface Inspected {
  readonly report: RegistrationReport;
  readonly family: BrowserFamily;
}

function isExecutable(path: string, platform: Platform): boolean {
  try {
    accessSync(path, platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Checks one manifest file; null when there is none. */
function inspectManifest(platform: Platform, browser: Browser, scope: Scope | 'profile', where: string, manifestPath: string): Inspected | null {
  const family = browserFamily(browser);
  const text = readText(manifestPath);
  if (text === null) return null;
  const problems: Problem[] = [];
  const manifest = parseHostManifest(text);
  let launcher: string | null = null;
  if (manifest === null) {
    problems.push({ problem: `${manifestPath} is not valid JSON`, fix: `delete it and ${REINSTALL}` });
  } else {
    launcher = typeof manifest.path === 'string' ? manifest.path : null;
    // On Windows a relative path is relative to the manifest's directory (Chrome and Firefox both
    // resolve it so); the setup's manifests name nhi-card.exe that way.
    if (launcher !== null && platform === 'win32' && !win32.isAbsolute(launcher)) launcher = win32.resolve(win32.dirname(manifestPath), launcher);
    if (manifest.name !== NATIVE_HOST_NAME) {
      problems.push({ problem: `${manifestPath} names host "${String(manifest.name)}", not ${NATIVE_HOST_NAME}`, fix: REINSTALL });
    }
    if (manifest.type !== 'stdio') problems.push({ problem: `${manifestPath} has type "${String(manifest.type)}", not "stdio"`, fix: REINSTALL });
    if (!allowsOurExtension(manifest, family)) {
      const field = family === 'chromium' ? 'allowed_origins' : 'allowed_extensions';
      problems.push({ problem: `${manifestPath} does not list the NHI Card Bridge extension in ${field}`, fix: REINSTALL });
    }
    if (launcher === null) {
      problems.push({ problem: `${manifestPath} has no launcher path`, fix: REINSTALL });
    } else if (platform !== 'win32' && !isAbsolute(launcher)) {
      problems.push({ problem: `the launcher path ${launcher} is relative; browsers need an absolute path`, fix: REINSTALL });
    } else if (!existsSync(launcher)) {
      problems.push({ problem: `the launcher ${launcher} does not exist (moved or deleted?)`, fix: REINSTALL });
    } else if (!isExecutable(launcher, platform)) {
      problems.push({ problem: `the launcher ${launcher} is not executable`, fix: `chmod 755 '${launcher}', or ${REINSTALL}` });
    }
  }
  return { family, report: { browser, scope, where, manifestPath, launcher, problems } };
}

async function inspectRegistry(context: DoctorContext, browser: Browser, scope: Scope, key: string): Promise<Inspected | null> {
  const answer = await context.registry.run(regQueryCommand(key));
  const manifestPath = answer.code === 0 ? parseRegQueryDefault(answer.stdout) : null;
  if (manifestPath === null) return null;
  const inspected = inspectManifest(context.platform, browser, scope, key, manifestPath);
  if (inspected !== null) return { ...inspected, report: { ...inspected.report, where: key } };
  return {
    family: browserFamily(browser),
    report: {
      browser,
      scope,
      where: key,
      manifestPath,
      launcher: null,
      problems: [{ problem: `${key} points at ${manifestPath}, which does not exist`, fix: REINSTALL }],
    },
  };
}

async function inspectLocation(context: DoctorContext, browser: Browser, scope: Scope | 'profile', location: ManifestLocation): Promise<Inspected | null> {
  if (location.kind === 'file') return inspectManifest(context.platform, browser, scope, location.manifestPath, location.manifestPath);
  return scope === 'profile' ? null : inspectRegistry(context, browser, scope, location.key);
}

/** The PC/SC service being out of reach, named as a person on that system knows it. */
function pcscUnreachable(platform: Platform): string {
  return platform === 'win32' ? 'the Windows smart card service is not running' : 'the PC/SC service (pcscd) is not reachable';
}

/** Any other PC/SC failure: Windows has no pcscd to restart, its service follows the reader. */
function pcscFailureFix(platform: Platform): string {
  if (platform === 'win32') return 'unplug the card reader and plug it in again, then try again';
  return 'reconnect the reader; if it persists, restart pcscd';
}

function pcscFix(platform: Platform): string {
  if (platform === 'linux') return 'install and start the PC/SC daemon: sudo apt-get install pcscd && sudo systemctl enable --now pcscd.socket';
  if (platform === 'darwin') return 'macOS ships PC/SC; reconnect the reader and try again';
  // Windows starts its Smart Card service (SCardSvr) when a reader is plugged in.
  return 'plug in the card reader, then try again (Windows starts its Smart Card service when a reader is connected)';
}

async function checkPcsc(context: DoctorContext): Promise<PcscReport> {
  try {
    const readers = (await context.listReaders()).map((reader) => ({ name: reader.name, cardPresent: reader.cardPresent }));
    if (readers.length === 0) {
      return { ok: false, readers, problem: { problem: 'no card reader found', fix: 'plug the card reader in (check it with `nhi-card readers`)' } };
    }
    return { ok: true, readers };
  } catch (error) {
    const failure = asNhiCardError(error);
    if (failure.code === ErrorCode.NoReader) {
      return { ok: false, readers: [], problem: { problem: 'no card reader found', fix: 'plug the card reader in (check it with `nhi-card readers`)' } };
    }
    const unreachable = failure.code === ErrorCode.PcscUnavailable;
    return {
      ok: false,
      readers: [],
      problem: {
        problem: unreachable ? pcscUnreachable(context.platform) : `PC/SC failed: ${failure.message}`,
        fix: unreachable ? pcscFix(context.platform) : pcscFailureFix(context.platform),
      },
    };
  }
}

async function checkHosts(context: DoctorContext, inspected: readonly Inspected[]): Promise<HostReport[]> {
  const seen = new Set<string>();
  const reports: HostReport[] = [];
  for (const { report, family } of inspected) {
    const { launcher, manifestPath } = report;
    if (launcher === null || manifestPath === null || report.problems.length > 0) continue;
    const key = `${family}\0${launcher}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const result = await context.probe({ launcherPath: launcher, family, manifestPath, env: context.env, timeoutMs: context.probeTimeoutMs });
    reports.push(
      result.ok
        ? { launcher, family, ok: true, version: result.host, protocol: result.protocol, ms: result.ms }
        : {
            launcher,
            family,
            ok: false,
            ms: result.ms,
            problem: {
              problem: `the host ${launcher}, started as ${family === 'chromium' ? 'Chrome' : 'Firefox'} starts it, did not say hello: ${result.reason}`,
              fix: `run it by hand to see the error ('${launcher}' --version), then ${REINSTALL}`,
            },
          },
    );
  }
  return reports;
}

/** Runs every check; never throws for what it finds (that is the report). */
export async function runDoctor(context: DoctorContext): Promise<DoctorReport> {
  const inspected: Inspected[] = [];
  if (context.userDataDir !== undefined && context.platform !== 'win32') {
    const found = await inspectLocation(context, 'chromium', 'profile', profileManifestLocation(context.platform, context.userDataDir));
    if (found !== null) inspected.push(found);
  }
  for (const scope of ['user', 'system'] as const) {
    for (const browser of BROWSERS) {
      const found = await inspectLocation(context, browser, scope, manifestLocation(context.platform, browser, scope, context.dirs));
      if (found !== null) inspected.push(found);
    }
  }
  const registrations = inspected.map((entry) => entry.report);
  const hosts = await checkHosts(context, inspected);
  const pcsc = await checkPcsc(context);

  const problems: Problem[] = [];
  if (registrations.length === 0) {
    problems.push({ problem: 'the host is not registered with any browser', fix: 'run `nhi-card install` (or install the nhi-card-bridge package)' });
  }
  for (const registration of registrations) problems.push(...registration.problems);
  for (const host of hosts) if (host.problem !== undefined) problems.push(host.problem);
  if (pcsc.problem !== undefined) problems.push(pcsc.problem);
  return { ok: problems.length === 0, runtime: context.runtime, registrations, hosts, pcsc, problems };
}

/** The report as plain text for a person. */
export function formatDoctorReport(report: DoctorReport): string[] {
  const { node, flags } = report.runtime;
  const lines: string[] = [`Runtime: Node.js ${node}${flags.length === 0 ? '' : ` (${flags.join(' ')})`}`, 'Registrations:'];
  if (report.registrations.length === 0) lines.push('  none');
  for (const registration of report.registrations) {
    const state = registration.problems.length === 0 ? 'ok' : 'PROBLEM';
    lines.push(`  ${state.padEnd(7)} ${BROWSER_LABELS[registration.browser]} (${registration.scope}): ${registration.where}`);
    if (registration.launcher !== null) lines.push(`          -> ${registration.launcher}`);
  }
  lines.push('Hosts:');
  if (report.hosts.length === 0) lines.push('  none checked');
  for (const host of report.hosts) {
    lines.push(
      host.ok
        ? `  ok      ${host.launcher} (as ${host.family}): hello from host ${host.version ?? '?'}, protocol ${String(host.protocol)}, ${host.ms} ms`
        : `  PROBLEM ${host.launcher} (as ${host.family}): no hello`,
    );
  }
  lines.push('PC/SC:');
  if (report.pcsc.ok) {
    for (const reader of report.pcsc.readers) lines.push(`  ok      ${reader.name}: ${reader.cardPresent ? 'card present' : 'no card'}`);
  } else {
    lines.push(`  PROBLEM ${report.pcsc.problem?.problem ?? 'unavailable'}`);
  }
  if (report.problems.length === 0) {
    lines.push('', 'Everything looks right.');
  } else {
    lines.push('', `${report.problems.length} problem(s):`);
    for (const problem of report.problems) lines.push(`  - ${problem.problem}`, `    fix: ${problem.fix}`);
  }
  return lines;
}
