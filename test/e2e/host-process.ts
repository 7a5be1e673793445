/**
 * Finds the native host a browser started, to kill it in fault tests and watch it in the
 * benchmark: a process running dist/native-host/nhi-card.cjs in host mode whose environment
 * carries this stack's private pcscd socket (each test file and each bench run has its own).
 */
import { readdir, readFile } from 'node:fs/promises';

const HOST_SCRIPT = 'nhi-card.cjs';

/** Pids of running hosts (not installer runs) started with `PCSCLITE_CSOCK_NAME=pcscSocket`. */
export async function hostPids(pcscSocket: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      // Host mode: the browser passes chrome-extension://ID/ (Chromium) or a manifest path and an ID (Firefox).
      if (!argv.some((arg) => arg.endsWith(HOST_SCRIPT)) || argv.some((arg) => ['install', 'uninstall', 'doctor', 'read', 'readers'].includes(arg))) continue;
      const environment = (await readFile(`/proc/${entry}/environ`, 'utf8')).split('\0');
      if (environment.includes(`PCSCLITE_CSOCK_NAME=${pcscSocket}`)) pids.push(pid);
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return pids;
}

/** Waits (bounded) until exactly one host of this stack runs; resolves with its pid. */
export async function theHostPid(pcscSocket: string, timeoutMs = 15_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const pids = await hostPids(pcscSocket);
    const [only] = pids;
    if (pids.length === 1 && only !== undefined) return only;
    if (performance.now() > deadline) throw new Error(`expected one running native host, found ${pids.length} (${pids.join(', ')})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits (bounded) until no host of this stack runs. */
export async function waitForNoHost(pcscSocket: string, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while ((await hostPids(pcscSocket)).length > 0) {
    if (performance.now() > deadline) throw new Error(`the native host was still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
