/**
 * The last resort when a browser will not close: find the processes we started by the unique
 * profile directory on their command line and kill each by its id.
 */
import { readdir, readFile } from 'node:fs/promises';

/** Pids whose command line mentions `marker` (a per-run temp dir), excluding this process. */
export async function pidsMentioning(marker: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(marker)) pids.push(pid);
    } catch {
      // Gone already.
    }
  }
  return pids;
}

/** SIGKILLs every process whose command line mentions `marker`. */
export async function killProcessesMentioning(marker: string): Promise<void> {
  for (const pid of await pidsMentioning(marker)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
}

/** Resolves with the promise's value, or with `fallback()` when it takes longer than `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      resolve(fallback());
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
