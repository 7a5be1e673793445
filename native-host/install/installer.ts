/**
 * Writes and removes host registrations. Idempotent: an identical manifest is left untouched.
 * Only touches what it owns: a manifest with our host name is ours when its `path` is this
 * installation's launcher; anything else there belongs to another installation and stays.
 */
import { mkdir, readFile, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, win32 } from 'node:path';
import type { BrowserFamily, Platform } from './browsers';
import { windowsManifestPath } from './host-locations';
import { buildHostManifest, isManifestFor, parseHostManifest, serializeHostManifest } from './host-manifest';
import type { InstallTarget } from './install-plan';
import { parseRegQueryDefault, regAddCommand, regDeleteCommand, regQueryCommand, type RegistryRunner } from './registry-commands';

export interface InstallerContext {
  readonly platform: Platform;
  /** What the manifests' `path` names: an executable launcher, absolute. */
  readonly launcherPath: string;
  /** Extra extension IDs (NHI_CARD_ALLOWED_EXTENSIONS) written into the manifests. */
  readonly extraIds: { readonly chromium: readonly string[]; readonly firefox: readonly string[] };
  /** Windows only: reg.exe. */
  readonly registry: RegistryRunner;
}

export type Outcome =
  /** Written where nothing was. */
  | 'created'
  /** Our earlier registration, rewritten (e.g. the allowed IDs changed). */
  | 'updated'
  /** Already exactly as install would write it. */
  | 'unchanged'
  | 'removed'
  /** Nothing of ours there. */
  | 'absent'
  /** Another installation's registration: left in place. */
  | 'foreign';

export interface TargetResult {
  readonly target: InstallTarget;
  /** The manifest file, or the registry key on Windows. */
  readonly where: string;
  readonly outcome: Outcome;
  /** For 'foreign': the launcher the other registration points at. */
  readonly otherPath?: string;
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/** Writes through a temporary file and rename, so a browser never reads half a manifest. */
async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, path);
}

/** Permission errors become a sentence that says what to do. */
function explainWriteError(error: unknown, where: string): Error {
  if (isCode(error, 'EACCES') || isCode(error, 'EPERM')) {
    return new Error(`permission denied writing ${where}: a system-wide (--system) install needs root (sudo) or an administrator shell`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

function manifestText(context: InstallerContext, family: BrowserFamily): string {
  return serializeHostManifest(buildHostManifest(family, context.launcherPath, context.extraIds));
}

function foreignPath(text: string): string {
  const path = parseHostManifest(text)?.path;
  return typeof path === 'string' ? path : '(unreadable manifest)';
}

async function installFile(target: InstallTarget, manifestPath: string, context: InstallerContext, force: boolean): Promise<TargetResult> {
  const wanted = manifestText(context, target.family);
  const existing = await readOptional(manifestPath);
  if (existing === wanted) return { target, where: manifestPath, outcome: 'unchanged' };
  if (existing !== null && !force && !isManifestFor(existing, context.launcherPath)) {
    return { target, where: manifestPath, outcome: 'foreign', otherPath: foreignPath(existing) };
  }
  try {
    await writeAtomically(manifestPath, wanted, 0o644);
  } catch (error) {
    throw explainWriteError(error, manifestPath);
  }
  return { target, where: manifestPath, outcome: existing === null ? 'created' : 'updated' };
}

async function uninstallFile(target: InstallTarget, manifestPath: string, context: InstallerContext): Promise<TargetResult> {
  const existing = await readOptional(manifestPath);
  if (existing === null) return { target, where: manifestPath, outcome: 'absent' };
  if (!isManifestFor(existing, context.launcherPath)) {
    return { target, where: manifestPath, outcome: 'foreign', otherPath: foreignPath(existing) };
  }
  try {
    await unlink(manifestPath);
  } catch (error) {
    throw explainWriteError(error, manifestPath);
  }
  await removeIfEmpty(dirname(manifestPath));
  return { target, where: manifestPath, outcome: 'removed' };
}

/** A manifest directory left empty holds nothing for any browser; remove it, never its parents. */
async function removeIfEmpty(directory: string): Promise<void> {
  try {
    await rmdir(directory);
  } catch {
    // Not empty, already gone, or not ours to remove.
  }
}

async function queryDefault(registry: RegistryRunner, key: string): Promise<string | null> {
  const answer = await registry.run(regQueryCommand(key));
  return answer.code === 0 ? parseRegQueryDefault(answer.stdout) : null;
}

async function runRegistry(registry: RegistryRunner, command: Parameters<RegistryRunner['run']>[0], key: string): Promise<void> {
  const answer = await registry.run(command);
  if (answer.code !== 0) {
    throw new Error(`reg.exe ${command.args[0] ?? ''} ${key} failed (exit ${answer.code}): HKLM (--system) needs an administrator shell`);
  }
}

async function installRegistry(target: InstallTarget, key: string, context: InstallerContext, force: boolean): Promise<TargetResult> {
  const manifestPath = windowsManifestPath(win32.dirname(context.launcherPath), target.family);
  const wanted = manifestText(context, target.family);
  if ((await readOptional(manifestPath)) !== wanted) await writeAtomically(manifestPath, wanted, 0o644);
  const current = await queryDefault(context.registry, key);
  if (current === manifestPath) return { target, where: key, outcome: 'unchanged' };
  if (current !== null && !force) return { target, where: key, outcome: 'foreign', otherPath: current };
  await runRegistry(context.registry, regAddCommand(key, manifestPath), key);
  return { target, where: key, outcome: current === null ? 'created' : 'updated' };
}

async function uninstallRegistry(target: InstallTarget, key: string, context: InstallerContext): Promise<TargetResult> {
  const manifestPath = windowsManifestPath(win32.dirname(context.launcherPath), target.family);
  const current = await queryDefault(context.registry, key);
  if (current === null) return { target, where: key, outcome: 'absent' };
  if (current !== manifestPath) return { target, where: key, outcome: 'foreign', otherPath: current };
  await runRegistry(context.registry, regDeleteCommand(key), key);
  return { target, where: key, outcome: 'removed' };
}

/** Registers the host at every target; `force` replaces other installations' registrations. */
export async function installTargets(targets: readonly InstallTarget[], context: InstallerContext, force = false): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  for (const target of targets) {
    const { location } = target;
    results.push(
      location.kind === 'file'
        ? await installFile(target, location.manifestPath, context, force)
        : await installRegistry(target, location.key, context, force),
    );
  }
  return results;
}

/**
 * Removes our registrations at `targets`. On Windows, `removeSharedFiles` (uninstalling every
 * browser) also removes the manifest files and the launcher install wrote beside the bundle.
 */
export async function uninstallTargets(
  targets: readonly InstallTarget[],
  context: InstallerContext,
  removeSharedFiles = false,
): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  for (const target of targets) {
    const { location } = target;
    results.push(
      location.kind === 'file'
        ? await uninstallFile(target, location.manifestPath, context)
        : await uninstallRegistry(target, location.key, context),
    );
  }
  if (context.platform === 'win32' && removeSharedFiles) {
    const directory = win32.dirname(context.launcherPath);
    for (const family of ['chromium', 'firefox'] as const) {
      const path = windowsManifestPath(directory, family);
      const text = await readOptional(path);
      if (text !== null && isManifestFor(text, context.launcherPath)) await unlink(path);
    }
    await unlink(context.launcherPath).catch(() => undefined);
  }
  return results;
}
