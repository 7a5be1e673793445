// Fetches a pinned Node.js runtime (packaging/node-runtime.ts) with `npm pack` into a cache
// directory, checks the tarball against the pinned integrity, and unpacks it once. The unpacked
// package holds bin/node, include/node (headers for node-gyp's --nodedir) and Node's LICENSE.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { NodeRuntimePin } from '../packaging/node-runtime';

/** Where fetched runtimes are kept between builds (NHI_CARD_RUNTIME_CACHE overrides). */
export function runtimeCacheDir(): string {
  return process.env.NHI_CARD_RUNTIME_CACHE ?? join(homedir(), '.cache', 'nhi-card-bridge', 'runtime');
}

/** The npm `dist.integrity` form (sha512, base64) of a file's bytes. */
export function integrityOf(bytes: Uint8Array): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/** The unpacked runtime package for `pin` (its `package/` directory), fetching it if needed. */
export function unpackedRuntime(pin: NodeRuntimePin): string {
  const cache = runtimeCacheDir();
  const unpacked = join(cache, `${pin.packageName}-${pin.version}`);
  const done = join(unpacked, '.integrity');
  if (existsSync(done) && readFileSync(done, 'utf8') === pin.integrity) return join(unpacked, 'package');

  mkdirSync(cache, { recursive: true });
  const tarball = join(cache, `${pin.packageName}-${pin.version}.tgz`);
  if (!existsSync(tarball)) {
    execFileSync('npm', ['pack', '--silent', '--pack-destination', cache, `${pin.packageName}@${pin.version}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const actual = integrityOf(readFileSync(tarball));
  if (actual !== pin.integrity) {
    rmSync(tarball, { force: true });
    throw new Error(`${pin.packageName}@${pin.version}: the tarball's integrity ${actual} is not the pinned ${pin.integrity}; removed it`);
  }
  // Unpack beside, then rename: an interrupted run never leaves a half tree that looks complete.
  const partial = `${unpacked}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', partial, '--no-same-owner']);
  writeFileSync(join(partial, '.integrity'), pin.integrity);
  rmSync(unpacked, { recursive: true, force: true });
  renameSync(partial, unpacked);
  return join(unpacked, 'package');
}
