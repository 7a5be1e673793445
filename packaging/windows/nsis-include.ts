/**
 * The generated part of the setup script (build.nsh): version defines, the file list to install
 * and remove, and the registry values from windowsRegistryPlan for each scope. Written by
 * scripts/package-windows.ts; nhi-card-bridge.nsi includes it.
 */
import { posix, win32 } from 'node:path';
import type { Scope } from '../../native-host/install/browsers';
import { windowsRegistryPlan, type RegistryValue } from '../../native-host/install/windows-registry-plan';

/** Stands for the install directory in plan values until it becomes NSIS's `$INSTDIR`. */
const INSTDIR_TOKEN = '\u0001INSTDIR\u0001';

/** The Uninstall key Windows' "Apps & features" lists. */
export const UNINSTALL_KEY = 'Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\NHI Card Bridge';

/** Keys that are never ours to remove, even when empty. */
const SHARED_ROOTS = new Set(['Software', 'Software\\Wow6432Node', 'Software\\Microsoft', 'Software\\Wow6432Node\\Microsoft']);

/** A double-quoted NSIS string: `$` and `"` escaped, the install-directory token as `$INSTDIR`. */
export function nsisString(text: string): string {
  if (/[\r\n]/.test(text)) throw new Error('NSIS strings here are single lines');
  const escaped = text.replaceAll('$', '$$$$').replaceAll('"', '$\\"').replaceAll(INSTDIR_TOKEN, '$INSTDIR');
  return `"${escaped}"`;
}

export interface SetupDefines {
  readonly productName: string;
  readonly version: string;
  readonly publisher: string;
  readonly stageDirectory: string;
  readonly outputFile: string;
  readonly firefoxAddonUrl: string;
  readonly uninstallKey: string;
}

/** Files to install, as paths relative to the stage directory with '/' separators. */
export type StageFiles = readonly string[];

/**
 * The file beside nhi-card.exe that lists what this version installed, so the next version's
 * setup can remove what it no longer ships (an uninstaller knows only its own version's files).
 */
export const INSTALLED_FILES_LIST = 'installed-files.txt';

/** The list's text: one Windows path per line, relative to the install folder, itself included. */
export function installedFilesList(files: StageFiles): string {
  const all = [...new Set([...files, INSTALLED_FILES_LIST])].sort();
  return all.map((file) => `${win32.join(...file.split('/'))}\r\n`).join('');
}

function hive(scope: Scope): 'HKCU' | 'HKLM' {
  return scope === 'user' ? 'HKCU' : 'HKLM';
}

/** The registry values of `scope`, ready for the setup. */
export function registryValues(scope: Scope): RegistryValue[] {
  return windowsRegistryPlan(scope, INSTDIR_TOKEN);
}

function parentKeys(key: string): string[] {
  const parts = key.split('\\');
  const parents: string[] = [];
  for (let length = parts.length - 1; length > 0; length -= 1) {
    const parent = parts.slice(0, length).join('\\');
    if (SHARED_ROOTS.has(parent)) break;
    parents.push(parent);
  }
  return parents;
}

function writeRegistryMacro(scope: Scope): string[] {
  const lines = [`!macro NHI_WRITE_REGISTRY_${scope.toUpperCase()}`];
  for (const value of registryValues(scope)) lines.push(`  WriteRegStr ${hive(scope)} ${nsisString(value.key)} ${nsisString(value.name)} ${nsisString(value.value)}`);
  lines.push('!macroend');
  return lines;
}

/** Removes exactly the keys written, then their parents where we left them empty (never shared roots). */
function deleteRegistryMacro(scope: Scope): string[] {
  const lines = [`!macro NHI_DELETE_REGISTRY_${scope.toUpperCase()}`];
  const parents = new Set<string>();
  for (const value of registryValues(scope)) {
    lines.push(`  DeleteRegKey ${hive(scope)} ${nsisString(value.key)}`);
    for (const parent of parentKeys(value.key)) parents.add(parent);
  }
  // Deepest first, so a parent emptied by its child's removal goes too.
  for (const parent of [...parents].sort((a, b) => b.split('\\').length - a.split('\\').length)) {
    lines.push(`  DeleteRegKey /ifempty ${hive(scope)} ${nsisString(parent)}`);
  }
  lines.push('!macroend');
  return lines;
}

function installFilesMacro(defines: SetupDefines, files: StageFiles): string[] {
  const lines = ['!macro NHI_INSTALL_FILES'];
  const byDirectory = new Map<string, string[]>();
  for (const file of files) {
    const directory = posix.dirname(file);
    byDirectory.set(directory, [...(byDirectory.get(directory) ?? []), file]);
  }
  for (const [directory, members] of [...byDirectory].sort(([a], [b]) => a.localeCompare(b))) {
    const target = directory === '.' ? INSTDIR_TOKEN : win32.join(INSTDIR_TOKEN, ...directory.split('/'));
    lines.push(`  SetOutPath ${nsisString(target)}`);
    for (const file of members) lines.push(`  File ${nsisString(posix.join(defines.stageDirectory, file))}`);
  }
  lines.push(`  SetOutPath ${nsisString(INSTDIR_TOKEN)}`, '!macroend');
  return lines;
}

function uninstallFilesMacro(files: StageFiles): string[] {
  const lines = ['!macro NHI_UNINSTALL_FILES'];
  const directories = new Set<string>();
  for (const file of files) {
    lines.push(`  Delete ${nsisString(win32.join(INSTDIR_TOKEN, ...file.split('/')))}`);
    for (let directory = posix.dirname(file); directory !== '.'; directory = posix.dirname(directory)) directories.add(directory);
  }
  for (const directory of [...directories].sort((a, b) => b.split('/').length - a.split('/').length || a.localeCompare(b))) {
    lines.push(`  RMDir ${nsisString(win32.join(INSTDIR_TOKEN, ...directory.split('/')))}`);
  }
  lines.push('!macroend');
  return lines;
}

/** The whole build.nsh. */
export function buildInclude(defines: SetupDefines, files: StageFiles): string {
  const numeric = defines.version.split(/[.-]/).slice(0, 3).map(Number);
  const lines = [
    '; Generated by scripts/package-windows.ts from native-host/install: do not edit.',
    `!define PRODUCT_NAME ${nsisString(defines.productName)}`,
    `!define PRODUCT_VERSION ${nsisString(defines.version)}`,
    `!define VI_VERSION ${nsisString([...numeric, 0].join('.'))}`,
    `!define PUBLISHER ${nsisString(defines.publisher)}`,
    `!define OUT_FILE ${nsisString(defines.outputFile)}`,
    `!define FIREFOX_ADDON_URL ${nsisString(defines.firefoxAddonUrl)}`,
    `!define UNINSTALL_KEY ${nsisString(defines.uninstallKey)}`,
    `!define INSTALLED_FILES_LIST ${nsisString(INSTALLED_FILES_LIST)}`,
    ...installFilesMacro(defines, files),
    ...uninstallFilesMacro(files),
    ...writeRegistryMacro('user'),
    ...writeRegistryMacro('system'),
    ...deleteRegistryMacro('user'),
    ...deleteRegistryMacro('system'),
    '',
  ];
  return lines.join('\n');
}
