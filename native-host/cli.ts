/**
 * `nhi-card`: the NHI Card Bridge command line and, when a browser starts it, the native
 * messaging host. One executable, so what a person tests is what the browser runs.
 */
import { Command, Option } from 'commander';
import { homedir } from 'node:os';
import { runDoctorCommand } from './commands/doctor-command';
import { runHostCommand } from './commands/host-command';
import { runInstallCommand, type InstallOptions } from './commands/install-command';
import { processOutput } from './commands/output';
import { runReadCommand } from './commands/read-command';
import { runReadersCommand } from './commands/readers-command';
import { runWatchCommand } from './commands/watch-command';
import { callerFromArgv } from './host/caller';
import { BROWSERS } from './install/browsers';
import { systemRegistry } from './install/registry-commands';
import { createPcscReaderService, DEFAULT_EXCHANGE_TIMEOUT_MS } from './pcsc/pcsc-reader-service';
import type { ReaderService } from './pcsc/reader-service';
import { versionLine } from './version';

/** Runs `use` with a reader service and always releases PC/SC afterwards. */
async function withReaders(timeoutMs: number, use: (readers: ReaderService) => Promise<number>): Promise<number> {
  const readers = createPcscReaderService({ exchangeTimeoutMs: timeoutMs });
  try {
    return await use(readers);
  } finally {
    await readers.close();
  }
}

function buildProgram(setExitCode: (code: number) => void): Command {
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
    .option('--json', 'print JSON: {ok, registrations, hosts, pcsc, problems: [{problem, fix}]}')
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
        }),
      );
    });

  return program;
}

async function main(argv: readonly string[]): Promise<number> {
  const callerId = callerFromArgv(argv.slice(2));
  if (callerId !== null) {
    // runHost has flushed stdout and released PC/SC; exit explicitly because the binding's native
    // threads can keep the event loop alive after its context is closed.
    process.exit(await runHostCommand(callerId, process.env));
  }
  let exitCode = 0;
  await buildProgram((code) => (exitCode = code)).parseAsync([...argv]);
  return exitCode;
}

/**
 * Exits once stdout and stderr have been handed to the OS. Waiting for the event loop to empty is
 * not enough: pcsc-lite drops an SCardCancel that arrives before the binding's status wait has
 * begun, and that thread then keeps the process alive after the answer (1 run in 80 here).
 */
function exitWhenFlushed(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv).then(exitWhenFlushed, (error: unknown) => {
  process.stderr.write(`nhi-card: ${error instanceof Error ? error.message : String(error)}\n`);
  exitWhenFlushed(1);
});
