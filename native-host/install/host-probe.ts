/**
 * Starts a registered host the way a browser does and waits for its first frame, which must be
 * `hello`: proof that the launcher, the Node runtime, the bundle and the native addon all load.
 * The probe leaves nothing running: it resolves only once the host's whole process tree is gone.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { FrameDecoder } from '../messaging/frame-decoder';
import { hostMessageSchema, LIMITS } from '../protocol/messages';
import type { BrowserFamily } from './browsers';
import { chromeOrigin, ourExtensionId } from './host-manifest';

export interface ProbeRequest {
  readonly launcherPath: string;
  readonly family: BrowserFamily;
  /** Firefox passes the manifest's path as the first argument. */
  readonly manifestPath: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

export type ProbeResult =
  | { readonly ok: true; readonly host: string; readonly protocol: number; readonly ms: number }
  | { readonly ok: false; readonly reason: string; readonly ms: number };

/** The argv a browser of `family` starts our host with. */
export function browserArgs(family: BrowserFamily, manifestPath: string): string[] {
  return family === 'chromium' ? [chromeOrigin(ourExtensionId('chromium'))] : [manifestPath, ourExtensionId('firefox')];
}

/** The last non-empty stderr line, to say why a host died (the host never logs personal data). */
function lastLine(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  return lines.at(-1)?.trim() ?? '';
}

/** How long a host may take to exit by itself once its stdin is closed, before it is killed. */
const EXIT_GRACE_MS = 2000;

/**
 * Kills `child` and everything it started. On POSIX the child leads its own process group (it was
 * spawned detached), so one signal reaches a Node runtime a launcher did not `exec`. On Windows a
 * .cmd launcher always runs Node as a child of cmd.exe, which `taskkill /T` walks.
 */
function killTree(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already empty.
  }
}

/** Resolves once `child` has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => { resolve(); }));
}

/** Closes the host's stdin, gives it EXIT_GRACE_MS to exit, then kills its whole process tree. */
async function stopHost(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return; // it never started
  child.stdin?.end();
  let reaper: NodeJS.Timeout | undefined;
  const graceOver = new Promise<void>((resolve) => {
    reaper = setTimeout(resolve, EXIT_GRACE_MS);
  });
  await Promise.race([exited(child), graceOver]);
  clearTimeout(reaper);
  // Even after a clean exit: a launcher that did not `exec` may leave its Node child behind.
  killTree(child);
  await exited(child);
  await groupGone(child.pid);
}

/** How long to wait for the rest of a killed process group to die (a SIGKILL is not instant). */
const GROUP_EXIT_WAIT_MS = 2000;

/** Resolves once no process of the group `pid` leads is left (POSIX), or after GROUP_EXIT_WAIT_MS. */
async function groupGone(pid: number): Promise<void> {
  if (process.platform === 'win32') return;
  const deadline = performance.now() + GROUP_EXIT_WAIT_MS;
  while (performance.now() < deadline && groupAlive(pid)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Spawns the host and resolves with its hello, or why there was none, once the host is gone; never rejects. */
export function probeHost(request: ProbeRequest): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const args = browserArgs(request.family, request.manifestPath);
  // cmd.exe runs .cmd launchers, as Chrome does on Windows.
  const [file, argv] = /\.(?:cmd|bat)$/i.test(request.launcherPath)
    ? ['cmd.exe', ['/d', '/c', request.launcherPath, ...args]]
    : [request.launcherPath, args];

  return new Promise((resolve) => {
    let settled = false;
    let stderr = '';
    // detached: on POSIX the host leads a process group of its own, so killTree reaches its children.
    const child = spawn(file, argv, { env: request.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, detached: process.platform !== 'win32' });
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stopHost(child).then(() => { resolve(result); });
    };
    const timer = setTimeout(() => {
      finish({ ok: false, reason: `no answer within ${request.timeoutMs} ms`, ms: elapsed() });
    }, request.timeoutMs);
    const decoder = new FrameDecoder({ maxFrameBytes: LIMITS.maxResponseBytes });
    child.stdin.on('error', () => undefined);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr += text;
    });
    child.stdout.on('data', (chunk: Uint8Array) => {
      for (const frame of decoder.push(chunk)) {
        if (frame.type !== 'value') {
          finish({ ok: false, reason: `it wrote a broken frame (${frame.reason})`, ms: elapsed() });
          return;
        }
        const message = hostMessageSchema.safeParse(frame.value);
        if (message.success && 'event' in message.data && message.data.event === 'hello') {
          finish({ ok: true, host: message.data.host, protocol: message.data.protocol, ms: elapsed() });
        } else {
          const error = message.success && 'error' in message.data ? ` (${message.data.error.code})` : '';
          finish({ ok: false, reason: `its first message was not hello${error}`, ms: elapsed() });
        }
        return;
      }
    });
    child.once('error', (error) => {
      finish({ ok: false, reason: `it could not be started: ${error.message}`, ms: elapsed() });
    });
    // 'close' (not 'exit'): stdout is drained by then, so a hello written just before exiting counts.
    child.once('close', (code, signal) => {
      const why = lastLine(stderr);
      finish({
        ok: false,
        reason: `it exited (${signal ?? `code ${String(code)}`}) before answering${why.length > 0 ? `: ${why}` : ''}`,
        ms: elapsed(),
      });
    });
  });
}
