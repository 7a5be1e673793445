/**
 * `nhi-card`: the NHI Card Bridge command line and, when a browser starts it, the native
 * messaging host. One executable, so what a person tests is what the browser runs.
 */
import { runHostCommand } from './commands/host-command';
import { callerFromArgv } from './host/caller';

async function main(argv: readonly string[]): Promise<number> {
  const callerId = callerFromArgv(argv.slice(2));
  if (callerId !== null) {
    // runHost has flushed stdout and released PC/SC; exit explicitly because the binding's native
    // threads can keep the event loop alive after its context is closed.
    process.exit(await runHostCommand(callerId, process.env));
  }
  // Loaded on demand, so a host started by a browser holds none of the CLI in memory.
  const { buildProgram } = await import('./commands/cli-program');
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
