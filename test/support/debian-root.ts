/**
 * Clean Debian 12 roots for the package tests: a debootstrapped minbase bookworm root, and one with
 * Debian's firefox-esr added by apt, both made once and cached under /var/cache/nhi-card-bridge-test
 * (NHI_CARD_DEB_TEST_CACHE), then copied per run so every test starts from the same clean state.
 * Commands run inside with chroot and a bare environment. Needs root, debootstrap and a mirror.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export const CACHE_DIR = process.env.NHI_CARD_DEB_TEST_CACHE ?? '/var/cache/nhi-card-bridge-test';
/** debootstrap --variant=minbase bookworm: what deb.test.ts installs into. */
export const MINBASE_ROOT = join(CACHE_DIR, 'bookworm-minbase');
/** The minbase root plus bookworm-security and `apt-get install firefox-esr`, as a Debian 12 user has it. */
export const FIREFOX_ROOT = join(CACHE_DIR, 'bookworm-firefox');

/** Package-manager state and logs, which installing and purging legitimately change. */
const VOLATILE = [/^var\/(lib\/(dpkg|apt)|cache\/(apt|debconf|ldconfig)|log)(\/|$)/, /^etc\/ld\.so\.cache$/, /^(tmp|run)\//];

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function run(file: string, args: readonly string[], timeoutMs = 300_000): SpawnSyncReturns<string> {
  const result = spawnSync(file, [...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

export function check(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) throw new Error(`${what} failed (exit ${String(result.status)}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function aptSourceUris(): string[] {
  const sources = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
  return [...sources.matchAll(/^(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(\S+)/gm)].map((match) => match[1] ?? '').filter((uri) => uri.startsWith('http'));
}

/**
 * The Debian mirror this machine's apt already uses (NHI_CARD_DEB_TEST_MIRROR overrides it), so the
 * clean root comes from the same archive as the host's own packages.
 */
export function debianMirror(): string {
  const configured = process.env.NHI_CARD_DEB_TEST_MIRROR;
  if (configured !== undefined) return configured;
  const mirror = aptSourceUris().find((uri) => !uri.includes('security'));
  if (mirror === undefined) throw new Error('no Debian mirror in apt sources: set NHI_CARD_DEB_TEST_MIRROR');
  return mirror;
}

/** The security archive this machine uses (NHI_CARD_DEB_TEST_SECURITY_MIRROR overrides it). */
function securityMirror(): string {
  return process.env.NHI_CARD_DEB_TEST_SECURITY_MIRROR ?? aptSourceUris().find((uri) => uri.includes('security')) ?? 'http://deb.debian.org/debian-security';
}

/** chroot arguments running `command` in `root` with a clean environment, as a desktop session would start it. */
function chrootArgs(root: string, command: readonly string[], env: Readonly<Record<string, string>>): string[] {
  const variables = Object.entries({ PATH: '/usr/sbin:/usr/bin:/sbin:/bin', DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C.UTF-8', ...env }).map(
    ([name, value]) => `${name}=${value}`,
  );
  return [root, '/usr/bin/env', '-i', ...variables, ...command];
}

/** Makes `target` (a copy of a cached root) usable for apt: name resolution, no service starts. */
function prepareForApt(target: string): void {
  writeFileSync(join(target, 'etc/resolv.conf'), readFileSync('/etc/resolv.conf'));
  // Services are not started in a chroot.
  writeFileSync(join(target, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n', { mode: 0o755 });
}

/** A minbase bookworm root, made once and reused: debootstrap into a temporary name, then rename. */
export function ensureMinbaseRoot(): void {
  if (existsSync(join(MINBASE_ROOT, 'etc', 'debian_version'))) return;
  const partial = `${MINBASE_ROOT}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  check(run('debootstrap', ['--variant=minbase', 'bookworm', partial, debianMirror()], 600_000), 'debootstrap (apt-get install debootstrap)');
  renameSync(partial, MINBASE_ROOT);
}

/**
 * The minbase root with Debian's firefox-esr, made once from it and reused. bookworm-security is
 * added first, as Debian's installer configures it: that is where Debian 12 gets current ESRs.
 */
export function ensureFirefoxRoot(): void {
  if (existsSync(join(FIREFOX_ROOT, 'usr', 'lib', 'firefox-esr', 'firefox-esr'))) return;
  ensureMinbaseRoot();
  const partial = `${FIREFOX_ROOT}.partial`;
  rmSync(partial, { recursive: true, force: true });
  check(run('cp', ['-a', MINBASE_ROOT, partial]), 'cp -a');
  const sources = join(partial, 'etc/apt/sources.list');
  writeFileSync(sources, `${readFileSync(sources, 'utf8').trimEnd()}\ndeb ${securityMirror()} bookworm-security main\n`);
  prepareForApt(partial);
  const inPartial = (command: readonly string[], what: string): string => check(run('chroot', chrootArgs(partial, command, {}), 900_000), what);
  inPartial(['apt-get', 'update', '-qq'], 'apt-get update');
  inPartial(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'firefox-esr'], 'apt-get install firefox-esr');
  inPartial(['apt-get', 'clean'], 'apt-get clean');
  rmSync(join(partial, 'usr/sbin/policy-rc.d'));
  renameSync(partial, FIREFOX_ROOT);
}

/** A throwaway copy of a cached root, with helpers to run commands in it and compare its files. */
export class RootCopy {
  readonly work: string;
  readonly root: string;

  /** Copies `base` (cp -a: the root holds device nodes, which fs.cpSync cannot copy) and readies apt. */
  constructor(base: string) {
    this.work = mkdtempSync(join(tmpdir(), 'nhi-deb-'));
    this.root = join(this.work, 'root');
    check(run('cp', ['-a', base, this.root]), 'cp -a');
    prepareForApt(this.root);
  }

  /** The host path of a path inside the root. */
  path(inside: string): string {
    return join(this.root, inside);
  }

  /** chroot arguments for `command` with a bare environment plus `env`. */
  chrootArgs(command: readonly string[], env: Readonly<Record<string, string>> = {}): string[] {
    return chrootArgs(this.root, command, env);
  }

  run(command: readonly string[], env: Readonly<Record<string, string>> = {}, timeoutMs = 300_000): SpawnSyncReturns<string> {
    return run('chroot', this.chrootArgs(command, env), timeoutMs);
  }

  /**
   * Like run, without blocking this process: the virtual card answers APDUs from this process's
   * event loop, so a synchronous spawn of a card reader would deadlock.
   */
  runAsync(command: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('chroot', this.chrootArgs(command, env), { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** A file of the root, following symlinks as they resolve inside the root. */
  read(path: string): string {
    const full = this.path(path);
    if (!lstatSync(full).isSymbolicLink()) return readFileSync(full, 'utf8');
    const target = readlinkSync(full);
    return this.read(isAbsolute(target) ? target : join(path, '..', target));
  }

  /** Every path in the root (relative, no leading slash), minus package-manager state, /tmp and /run. */
  snapshot(): Set<string> {
    const paths = new Set<string>();
    const visit = (relativeDir: string): void => {
      for (const name of readdirSync(this.path(relativeDir))) {
        const path = relativeDir === '' ? name : `${relativeDir}/${name}`;
        if (path === 'proc' || path === 'sys' || path === 'dev') continue;
        if (!VOLATILE.some((pattern) => pattern.test(path))) paths.add(path);
        if (lstatSync(this.path(path)).isDirectory()) visit(path);
      }
    };
    visit('');
    return paths;
  }

  /** Deletes the copy. Callers unmount anything they mounted inside first (see assertNoMounts). */
  remove(): void {
    this.assertNoMounts();
    rmSync(this.work, { recursive: true, force: true });
  }

  /** Refuses to go on while anything is mounted below the copy: removing it would reach outside. */
  assertNoMounts(): void {
    const mounted = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .filter((point) => point === this.work || point.startsWith(`${this.work}/`));
    if (mounted.length > 0) throw new Error(`still mounted in the root copy: ${mounted.join(', ')}`);
  }
}
