/**
 * Windows registrations as reg.exe commands: generated as data (tested on every OS), executed only
 * on win32. The host key's default value is the path of the manifest file.
 */
import { execFile } from 'node:child_process';

/** One reg.exe invocation; run with execFile, so arguments need no shell quoting. */
export interface RegCommand {
  readonly file: 'reg.exe';
  readonly args: readonly string[];
}

/** Sets `key`'s default value to `manifestPath`, creating the key (and parents); overwrites. */
export function regAddCommand(key: string, manifestPath: string): RegCommand {
  return { file: 'reg.exe', args: ['add', key, '/ve', '/t', 'REG_SZ', '/d', manifestPath, '/f'] };
}

/** Deletes `key` without asking. */
export function regDeleteCommand(key: string): RegCommand {
  return { file: 'reg.exe', args: ['delete', key, '/f'] };
}

/** Reads `key`'s default value. */
export function regQueryCommand(key: string): RegCommand {
  return { file: 'reg.exe', args: ['query', key, '/ve'] };
}

/**
 * The default value in `reg query KEY /ve` output, or null. The value's label ("(Default)") is
 * localised, so the line is recognised by its REG_SZ type column instead.
 */
export function parseRegQueryDefault(stdout: string): string | null {
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^\s+\S.*?\s{2,}REG_(?:EXPAND_)?SZ\s{2,}(.*)$/.exec(line);
    const value = match?.[1]?.trim();
    if (value !== undefined && value.length > 0) return value;
  }
  return null;
}

/** Runs reg.exe commands; injected so the installer's Windows path is testable anywhere. */
export interface RegistryRunner {
  /** Resolves with the exit code and stdout; a missing key is exit code 1, not a rejection. */
  run(command: RegCommand): Promise<{ readonly code: number; readonly stdout: string }>;
}

/** The real runner: reg.exe through execFile, refused off Windows. */
export const systemRegistry: RegistryRunner = {
  run(command) {
    if (process.platform !== 'win32') return Promise.reject(new Error('reg.exe runs on Windows only'));
    return new Promise((resolve, reject) => {
      execFile(command.file, [...command.args], { windowsHide: true }, (error, stdout) => {
        if (error === null) {
          resolve({ code: 0, stdout });
        } else if (typeof error.code === 'number') {
          resolve({ code: error.code, stdout });
        } else {
          reject(new Error(`reg.exe could not run: ${error.message}`));
        }
      });
    });
  },
};
