/**
 * Compiles the rig's small C helpers on demand, cached in os.tmpdir() by a hash of source and
 * flags so every rig in every run shares one compile.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const builds = new Map<string, Promise<string>>();

/** What to build from one C file in test/rig/. */
export interface CBuild {
  /** File name beside this module, e.g. "tcp-nodelay.c". */
  readonly source: string;
  readonly flags: readonly string[];
  /** `.so` for shared libraries, `` for executables. */
  readonly suffix: string;
}

/** The TCP_NODELAY LD_PRELOAD shim pcscd runs with. */
export const NODELAY_SHIM: CBuild = { source: 'tcp-nodelay.c', flags: ['-shared', '-fPIC', '-O2', '-Wall', '-ldl'], suffix: '.so' };

/** A tiny PC/SC client that sends APDUs through pcscd and times them. */
export const APDU_PROBE: CBuild = {
  source: 'apdu-probe.c',
  flags: ['-O2', '-Wall', '-I/usr/include/PCSC', '-lpcsclite'],
  suffix: '',
};

/** Waits until pcscd reports a reader empty (SCardGetStatusChange, no polling). */
export const WAIT_EMPTY: CBuild = {
  source: 'wait-empty.c',
  flags: ['-O2', '-Wall', '-I/usr/include/PCSC', '-lpcsclite'],
  suffix: '',
};

/** Returns the path of the built artefact, compiling it with `cc` if this exact source was never built. */
export function buildC(spec: CBuild): Promise<string> {
  let building = builds.get(spec.source);
  if (building === undefined) {
    building = compile(spec);
    builds.set(spec.source, building);
    building.catch(() => builds.delete(spec.source));
  }
  return building;
}

async function compile(spec: CBuild): Promise<string> {
  const sourcePath = new URL(`./${spec.source}`, import.meta.url).pathname;
  const source = await readFile(sourcePath);
  const hash = createHash('sha256').update(source).update(spec.flags.join(' ')).digest('hex').slice(0, 16);
  const target = join(tmpdir(), `nhi-rig-${basename(spec.source, '.c')}-${hash}${spec.suffix}`);
  try {
    await access(target);
    return target;
  } catch {
    // Not built yet.
  }
  // Compile beside the target and rename, so a concurrent run never loads a half-written file.
  const partial = `${target}.${process.pid}.partial`;
  const libraries = spec.flags.filter((flag) => flag.startsWith('-l'));
  const options = spec.flags.filter((flag) => !flag.startsWith('-l'));
  try {
    await execFileAsync('cc', [...options, '-o', partial, sourcePath, ...libraries]);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw new Error(`could not compile ${spec.source} with cc: ${String(error)}`, { cause: error });
  }
  return target;
}
