/**
 * Runs Windows programs under Wine (Debian's wine64) for the build and its tests: a prefix of our
 * own, reported as Windows 10 (Node >= 22 refuses older), no debug output, no display needed.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const WINE_CANDIDATES = ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine'];

/** The wine64 loader, or an error saying which package installs it. */
export function wineBinary(): string {
  const found = WINE_CANDIDATES.find((path) => existsSync(path));
  if (found === undefined) throw new Error('wine64 is not installed: apt-get install wine64 (scripts/bootstrap does)');
  return found;
}

/** The environment Wine runs with for `prefix`. */
export function wineEnv(prefix: string): NodeJS.ProcessEnv {
  // No DISPLAY: the setup's /S mode and node.exe must not need one.
  const env: NodeJS.ProcessEnv = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return env;
}

/** Creates `prefix` (once) as a Windows 10 prefix. */
export function ensureWinePrefix(prefix: string): void {
  if (existsSync(join(prefix, 'system.reg'))) return;
  mkdirSync(prefix, { recursive: true });
  const options: ExecFileSyncOptions = { env: wineEnv(prefix), stdio: 'ignore' };
  execFileSync(wineBinary(), ['wineboot', '-i'], options);
  execFileSync(wineBinary(), ['winecfg', '-v', 'win10'], options);
  waitForWineserver(prefix);
}

/** Waits until the prefix's wineserver has exited, so its files are written. */
export function waitForWineserver(prefix: string): void {
  const server = ['/usr/lib/wine/wineserver64', '/usr/lib/wine/wineserver', '/usr/bin/wineserver'].find((path) => existsSync(path));
  if (server !== undefined) execFileSync(server, ['-w'], { env: wineEnv(prefix), stdio: 'ignore' });
}

export interface WineResult {
  readonly code: number;
  readonly stdout: string;
  /** stdout as bytes (native-messaging frames are binary). */
  readonly output: Buffer;
}

/**
 * Runs `program` with `args` under Wine. Its stdout goes to a file, not a pipe: under Wine 8,
 * Node's console writes throw on a pipe. `stdinFile` feeds stdin from a file.
 */
export function runWine(prefix: string, program: string, args: readonly string[], options: { stdinFile?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): WineResult {
  const outFile = join(prefix, `.nhi-out-${process.pid}-${Date.now()}.txt`);
  const out = openSync(outFile, 'w');
  const input = options.stdinFile === undefined ? 'ignore' : openSync(options.stdinFile, 'r');
  let code = 0;
  try {
    execFileSync(wineBinary(), [program, ...args], {
      env: { ...wineEnv(prefix), ...options.env },
      stdio: [input, out, 'ignore'],
      timeout: options.timeoutMs ?? 120_000,
    });
  } catch (error) {
    const status = (error as { status?: number | null }).status;
    if (typeof status !== 'number') throw error;
    code = status;
  } finally {
    closeSync(out);
    if (typeof input === 'number') closeSync(input);
  }
  const output = readFileSync(outFile);
  rmSync(outFile, { force: true });
  return { code, stdout: output.toString('utf8'), output };
}
