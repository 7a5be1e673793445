/**
 * Loads a native npm package (`pcsclite`, `koffi`) when a backend first needs it, not when the
 * host starts: each build ships only its own backend's addon. Resolved from this file, which is
 * the bundle in a build and the executable itself in the Windows single-executable host (Node
 * sets `__filename` to the .exe there), so `node_modules/` beside it is found.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** `require(name)` from the bundle's (or the executable's) directory. */
export function loadPackage(name: string): unknown {
  // Run as an ES module from the sources (tsx: `npm run bench`), there is no __filename; the
  // working directory is then the repository, whose node_modules holds the package.
  const from = typeof __filename === 'string' ? __filename : join(process.cwd(), 'package.json');
  return createRequire(from)(name);
}
