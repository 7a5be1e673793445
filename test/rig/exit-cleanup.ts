/**
 * Last-resort cleanup when a test process exits or is signalled: kill rig daemons and remove
 * temp dirs synchronously, so a failed test leaves no pcscd behind.
 */
const cleanups = new Set<() => void>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // Keep going: the next rig still needs cleaning.
    }
  }
  cleanups.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  // Re-raise with the default action unless someone else handles the signal.
  if (process.listenerCount(signal) === 1) {
    for (const name of SIGNALS) process.off(name, onSignal);
    process.kill(process.pid, signal);
  }
}

/** Registers a synchronous cleanup run on exit or SIGINT/SIGTERM/SIGHUP; returns its unregister. */
export function onProcessExit(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', runAll);
    for (const name of SIGNALS) process.on(name, onSignal);
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
