/**
 * The command line a person runs (read, readers, watch, install, uninstall, doctor). Loaded only
 * when `nhi-card` is not started by a browser: the host never needs commander or the installer.
 */
import { Command, Option } from 'commander';
import { homedir } from 'node:os';
import { runDoctorCommand } from './doctor-command';
import { runInstallCommand, type InstallOptions } from './install-command';
import { processOutput } from './output';
import { runReadCommand } from './read-command';
import { runReadersCommand } from './readers-command';
import { runWatchCommand } from './watch-command';
import { BROWSERS } from '../install/browsers';
import { systemRegistry } from '../install/registry-commands';
import { createPcscReaderService, DEFAULT_EXCHANGE_TIMEOUT_MS } from '../pcsc/pcsc-reader-service';
import type { ReaderService } from '../pcsc/reader-service';
import { versionLine } from '../version';

/** Runs `use` with a reader service and always releases PC/SC afterwards. */
async function withReaders(timeoutMs: number, use: (readers: ReaderService) => Promise<number>): Promise<number> {
  const readers = createPcscReaderService({ exchangeTimeoutMs: timeoutMs });
  try {
    return await use(readers);
  } finally {
    await readers.close();
  }
}

/** The `nhi-card` program; `setExitCode` receives each command's exit code. */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('nhi-card')
    .description('NHI Card Bridge (健保卡橋接): read Taiwan NHI cards over PC/SC')
    .version(versionLine(), '-V, --version', 'print the host and Node.js runtime versions')
    .showHelpAfterError()
    .addOption(
      new Option('--timeout <ms>', 'per-APDU timeout in milliseconds')
        .default(DEFAULT_EXCHANGE_TIMEOUT_MS)
        .argParser((value) => {
          const ms = Number(value);
          if (!Number.isInteger(ms) || ms < 100 || ms > 60_000) throw new Error('--timeout takes 100..60000');
          return ms;
        }),
    );
  const timeout = (): number => program.opts<{ timeout: number }>().timeout;

  program
    .command('read')
    .description("print the card holder's identity from the NHI card")
    .option('--json', 'print JSON: {cardNumber, name, idNumber, birthDate, sex, issueDate, reader}')
    .option('--reader <name>', 'use this reader only (see `nhi-card readers`)')
    .action(async (options: { json?: boolean; reader?: string }) => {
      const json = options.json === true;
      setExitCode(await withReaders(timeout(), (readers) => runReadCommand(readers, { json, reader: options.reader }, processOutput)));
    });

  program
    .command('readers')
    .description('list readers and whether each holds a card')
    .option('--json', 'print JSON: {readers: [{name, cardPresent, atr}]}')
    .action(async (options: { json?: boolean }) => {
      setExitCode(await withReaders(timeout(), (readers) => runReadersCommand(readers, options.json === true, processOutput)));
    });

  program
    .command('watch')
    .description('print reader and card events until interrupted (Ctrl+C)')
    .option('--json', 'print one JSON object per event')
    .action(async (options: { json?: boolean }) => {
      const stop = new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      setExitCode(await withReaders(timeout(), (readers) => runWatchCommand(readers, options.json === true, processOutput, stop)));
    });

  for (const action of ['install', 'uninstall'] as const) {
    const command = program
      .command(action)
      .description(
        action === 'install'
          ? 'register the host with every installed browser (or --browser), per user unless --system'
          : "remove the registrations install wrote (never another installation's)",
      )
      .option('--browser <names>', `only these browsers, comma-separated: ${BROWSERS.join(', ')}`)
      .option('--system', 'for every user of this machine (needs root / an administrator shell)')
      .option('--user-data-dir <dir>', 'a Chromium profile started with --user-data-dir (writes <dir>/NativeMessagingHosts/)')
      .option('--home <dir>', 'the home directory for per-user locations (Firefox: <dir>/.mozilla/native-messaging-hosts/)')
      .option('--json', 'print JSON: {action, launcher, results: [{browser, scope, where, outcome}]}');
    if (action === 'install') command.option('--force', "replace another installation's registration");
    command.action(async (options: InstallOptions) => {
      setExitCode(
        await runInstallCommand(action, options, {
          platform: process.platform,
          env: process.env,
          homedir: homedir(),
          scriptPath: process.argv[1] ?? '',
          nodePath: process.execPath,
          registry: systemRegistry,
          output: processOutput,
        }),
      );
    });
  }

  program
    .command('doctor')
    .description('check the browser registrations, start each registered host, and check PC/SC and readers')
    .option('--json', 'print JSON: {ok, runtime, registrations, hosts, pcsc, problems: [{problem, fix}]}')
    .option('--user-data-dir <dir>', 'also check this Chromium profile')
    .option('--home <dir>', 'the home directory for per-user locations')
    .action(async (options: { json?: boolean; userDataDir?: string; home?: string }) => {
      setExitCode(
        await runDoctorCommand(options, {
          platform: process.platform,
          env: process.env,
          homedir: homedir(),
          registry: systemRegistry,
          readers: () => createPcscReaderService({ exchangeTimeoutMs: timeout() }),
          output: processOutput,
          runtime: { node: process.version, flags: process.execArgv },
        }),
      );
    });

  return program;
}
