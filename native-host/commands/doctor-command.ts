import { resolve } from 'node:path';
import { runDoctor, formatDoctorReport, type DoctorContext, type RuntimeReport } from '../install/doctor';
import { userDirs } from '../install/host-locations';
import { probeHost } from '../install/host-probe';
import type { RegistryRunner } from '../install/registry-commands';
import type { ReaderService } from '../pcsc/reader-service';
import { supportedPlatform } from './install-command';
import type { CommandOutput } from './output';

export interface DoctorOptions {
  readonly json?: boolean | undefined;
  readonly userDataDir?: string | undefined;
  readonly home?: string | undefined;
}

export interface DoctorDeps {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly homedir: string;
  readonly registry: RegistryRunner;
  /** Opens PC/SC for the reader check; closed afterwards. */
  readonly readers: () => ReaderService;
  readonly output: CommandOutput;
  readonly runtime: RuntimeReport;
}

/** How long a host gets to say hello: spawn plus Node start-up plus loading the addon. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * `nhi-card doctor`: reports registrations, host checks and PC/SC (JSON with --json); exit code 0
 * when nothing is wrong, 1 otherwise.
 */
export async function runDoctorCommand(options: DoctorOptions, deps: DoctorDeps): Promise<number> {
  const json = options.json === true;
  try {
    const platform = supportedPlatform(deps.platform);
    const home = options.home === undefined ? undefined : resolve(options.home);
    const context: DoctorContext = {
      platform,
      dirs: userDirs(platform, home ?? deps.homedir, deps.env, home !== undefined),
      userDataDir: options.userDataDir === undefined ? undefined : resolve(options.userDataDir),
      registry: deps.registry,
      // Firefox started with another HOME passes that HOME on; so does this check.
      env: home === undefined ? deps.env : { ...deps.env, HOME: home },
      probe: probeHost,
      probeTimeoutMs: PROBE_TIMEOUT_MS,
      runtime: deps.runtime,
      listReaders: async () => {
        const readers = deps.readers();
        try {
          return await readers.listReaders();
        } finally {
          await readers.close();
        }
      },
    };
    const report = await runDoctor(context);
    if (json) deps.output.stdout(JSON.stringify(report));
    else for (const line of formatDoctorReport(report)) deps.output.stdout(line);
    return report.ok ? 0 : 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (json) deps.output.stdout(JSON.stringify({ error: { message } }));
    else deps.output.stderr(`nhi-card doctor: ${message}`);
    return 1;
  }
}
