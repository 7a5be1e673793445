/**
 * The executable a host manifest names. Browsers started from a desktop have a minimal
 * environment (PATH may lack Node), so the launcher names the Node runtime by absolute path:
 * - a build from the repository: dist/native-host/nhi-card (scripts/build-host.ts);
 * - the Debian package: /usr/lib/nhi-card-bridge/nhi-card-host (bundled Node runtime);
 * - Windows: nhi-card-host.cmd, written by `nhi-card install` beside the bundle.
 */
import { posix, win32 } from 'node:path';
import type { Platform } from './browsers';

/**
 * Node flags every launcher passes. V8's lite mode (no optimizing compiler) keeps the host's memory
 * ~18 MiB lower after 20,000 commands (52 vs 70 MiB) for ~0.25 ms more per EnCrypt in the host
 * (1.13 vs 0.88 ms median, `npm run bench`, loaded machine): the host waits on the browser and the
 * card far longer than that. Lite mode cannot expose WebAssembly, and V8 says so on stderr at
 * every start unless WebAssembly is switched off too (nothing here uses it).
 * Tried on the rig and left out (Node 20.20 and 26.12, host idle and after 20,000 EnCrypts):
 * --max-semi-space-size=1, --single-threaded(-gc), --v8-pool-size=0, --max-lazy,
 * --initial-old-space-size=8, --max-old-space-size=32 and MALLOC_ARENA_MAX=1/2 each moved RSS by
 * less than run-to-run noise (~0.5 MiB). --max-opt=1 (baseline compiler only) answers EnCrypt ~0.2 ms
 * faster but holds ~7 MiB more after 10,000 readCard + 10,000 EnCrypt (2026-12-02). Most of the idle RSS is Node itself: `node -e` idling holds 40 MiB (Node 20)
 * and 42 MiB (Node 26), 34 MiB of it pages of the node binary.
 */
export const HOST_NODE_FLAGS: readonly string[] = ['--lite-mode', '--no-expose-wasm'];

/**
 * The HOST_NODE_FLAGS a packaged runtime accepts (the .deb's launcher, the Windows executable's
 * blob). `exitsCleanly(args)` runs that runtime with `args` and says whether it exited 0; a runtime
 * refuses a flag it does not know (Node 26's V8 has no --expose-wasm).
 */
export function acceptedHostFlags(exitsCleanly: (args: readonly string[]) => boolean): string[] {
  return HOST_NODE_FLAGS.filter((flag) => exitsCleanly([flag, '-e', '0']));
}

/** The Debian package's launcher. */
export const DEB_LAUNCHER_PATH = '/usr/lib/nhi-card-bridge/nhi-card-host';

/** Launcher file names beside the bundle, in order of preference. */
export function launcherCandidates(platform: Platform, bundleDirectory: string): string[] {
  if (platform === 'win32') return [win32.join(bundleDirectory, 'nhi-card-host.cmd')];
  return [posix.join(bundleDirectory, 'nhi-card-host'), posix.join(bundleDirectory, 'nhi-card')];
}

/**
 * The Windows launcher: cmd.exe runs it with the browser's arguments (`%*`); the Node runtime and
 * the bundle are absolute paths.
 */
export function windowsLauncherScript(nodePath: string, bundlePath: string): string {
  return `@echo off\r\nrem NHI Card Bridge host launcher (written by nhi-card install)\r\n"${nodePath}" ${HOST_NODE_FLAGS.join(' ')} "${bundlePath}" %*\r\n`;
}
