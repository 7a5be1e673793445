/**
 * `nhi-card install` / `nhi-card uninstall`: register the host with browsers (or remove our
 * registrations). The table of locations lives in native-host/install/host-locations.ts.
 */
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve, win32 } from 'node:path';
import { BROWSER_LABELS, isPlatform, parseBrowserList, type Platform } from '../install/browsers';
import { launcherCandidates, windowsLauncherScript } from '../install/host-launcher';
import { userDirs } from '../install/host-locations';
import { extraExtensionIds } from '../install/host-manifest';
import { planInstall, planUninstall, type InstallRequest } from '../install/install-plan';
import { installTargets, uninstallTargets, type InstallerContext, type TargetResult } from '../install/installer';
import type { RegistryRunner } from '../install/registry-commands';
import type { CommandOutput } from './output';

export interface InstallOptions {
  readonly browser?: string | undefined;
  readonly system?: boolean | undefined;
  readonly userDataDir?: string | undefined;
  readonly home?: string | undefined;
  readonly force?: boolean | undefined;
  readonly json?: boolean | undefined;
}

/** What the command needs from the process; injected for tests. */
export interface InstallDeps {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly homedir: string;
  /** The running bundle (process.argv[1]); the launcher sits beside it. */
  readonly scriptPath: string;
  /** The Node runtime (process.execPath), named by the Windows launcher. */
  readonly nodePath: string;
  readonly registry: RegistryRunner;
  readonly output: CommandOutput;
}

/** The platform, or an error for one the installer does not support. */
export function supportedPlatform(platform: NodeJS.Platform): Platform {
  if (!isPlatform(platform)) throw new Error(`install supports Linux, macOS and Windows, not ${platform}`);
  return platform;
}

/** The request the options describe, with directories made absolute. */
export function installRequest(options: InstallOptions): InstallRequest {
  return {
    browsers: options.browser === undefined ? undefined : parseBrowserList(options.browser),
    system: options.system === true,
    userDataDir: options.userDataDir === undefined ? undefined : resolve(options.userDataDir),
    home: options.home === undefined ? undefined : resolve(options.home),
  };
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The launcher manifests name (see host-launcher.ts): beside the running bundle. On Windows it is
 * written by install, since a manifest cannot name `node.exe` with arguments.
 */
async function resolveLauncher(platform: Platform, deps: InstallDeps, forInstall: boolean): Promise<string> {
  const bundlePath = realpathSync(deps.scriptPath);
  const [windowsLauncher] = launcherCandidates(platform, dirname(bundlePath));
  if (platform === 'win32' && windowsLauncher !== undefined) {
    if (forInstall) {
      await mkdir(win32.dirname(windowsLauncher), { recursive: true });
      await writeFile(windowsLauncher, windowsLauncherScript(deps.nodePath, bundlePath));
    }
    return windowsLauncher;
  }
  const candidates = launcherCandidates(platform, dirname(bundlePath));
  // Uninstall only needs the path registrations would name, even if the launcher is broken now.
  const launcher = forInstall
    ? candidates.find((path) => existsSync(path) && isExecutableFile(path))
    : (candidates.find((path) => existsSync(path)) ?? candidates.at(-1));
  if (launcher === undefined) {
    throw new Error(`no host launcher beside ${bundlePath}: build it with \`npm run build:host\` and run dist/native-host/nhi-card install`);
  }
  return launcher;
}

function describe(result: TargetResult): string {
  const label = `${BROWSER_LABELS[result.target.browser]} (${result.target.scope})`;
  const notes: Record<TargetResult['outcome'], string> = {
    created: 'registered',
    updated: 'updated',
    unchanged: 'already registered',
    removed: 'removed',
    absent: 'nothing to remove',
    foreign: `left alone: registered by another installation (${result.otherPath ?? '?'})`,
  };
  return `${label}: ${notes[result.outcome]} — ${result.where}`;
}

/** Runs `install` or `uninstall`; returns the exit code. */
export async function runInstallCommand(action: 'install' | 'uninstall', options: InstallOptions, deps: InstallDeps): Promise<number> {
  const json = options.json === true;
  try {
    const platform = supportedPlatform(deps.platform);
    const request = installRequest(options);
    const dirs = userDirs(platform, request.home ?? deps.homedir, deps.env, request.home !== undefined);
    const planContext = { platform, dirs, exists: existsSync };
    const targets = action === 'install' ? planInstall(request, planContext) : planUninstall(request, planContext);
    const context: InstallerContext = {
      platform,
      launcherPath: await resolveLauncher(platform, deps, action === 'install'),
      extraIds: extraExtensionIds(deps.env),
      registry: deps.registry,
    };
    const results =
      action === 'install'
        ? await installTargets(targets, context, options.force === true)
        : await uninstallTargets(targets, context, request.browsers === undefined);
    // Install fails where another installation kept its registration; uninstall only reports it.
    const failed = action === 'install' && results.some((result) => result.outcome === 'foreign');
    if (json) {
      deps.output.stdout(
        JSON.stringify({
        action,
        launcher: context.launcherPath,
        results: results.map((result) => ({
          browser: result.target.browser,
          scope: result.target.scope,
          where: result.where,
          outcome: result.outcome,
          ...(result.otherPath === undefined ? {} : { otherPath: result.otherPath }),
        })),
        }),
      );
    } else {
      for (const result of results) deps.output.stdout(describe(result));
      deps.output.stdout(`launcher: ${context.launcherPath}`);
      if (failed) deps.output.stdout('Pass --force to replace registrations of another installation.');
      if (action === 'install') deps.output.stdout('Restart the browser, then check everything with `nhi-card doctor`.');
    }
    return failed ? 1 : 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (json) deps.output.stdout(JSON.stringify({ error: { message } }));
    else deps.output.stderr(`nhi-card ${action}: ${message}`);
    return 1;
  }
}
