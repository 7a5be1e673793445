/**
 * One private pcscd, started through systemd-socket-activate so it listens on a socket path of
 * our choosing, with the TCP_NODELAY shim preloaded. It runs in its own process group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { listeningTcpPorts, unixSocketAccepts, waitUntil, withTimeout } from './readiness.js';

/** Where one pcscd lives and what it must listen on once ready. */
export interface PcscdDaemonConfig {
  readonly socketPath: string;
  /** Directory holding the reader.conf entries (pcscd -c). */
  readonly configDir: string;
  /** pcscd's foreground output is appended here. */
  readonly logPath: string;
  /** The TCP_NODELAY LD_PRELOAD shim, or undefined to run pcscd without it. */
  readonly shimPath: string | undefined;
  /** vpcd ports pcscd must listen on before it counts as ready. */
  readonly vpcdPorts: readonly number[];
  readonly timeoutMs: number;
}

/** Raised when pcscd ran but did not bind every vpcd port: usually another process took one. */
export class VpcdPortsUnavailableError extends Error {
  override readonly name = 'VpcdPortsUnavailableError';
}

/** A running private pcscd. */
export class PcscdDaemon {
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  private hasExited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    private readonly config: PcscdDaemonConfig,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        this.hasExited = true;
        resolve();
      });
    });
  }

  /** Starts pcscd and resolves once it accepts clients and listens on every vpcd port. */
  static async start(config: PcscdDaemonConfig): Promise<PcscdDaemon> {
    await rm(config.socketPath, { force: true });
    const logFd = openSync(config.logPath, 'a');
    let child: ChildProcess;
    try {
      const preload = config.shimPath === undefined ? [] : [`LD_PRELOAD=${config.shimPath}`, 'NHI_RIG_PDEATHSIG=1'];
      child = spawn(
        'systemd-socket-activate',
        ['-l', config.socketPath, ...preload.flatMap((setting) => ['-E', setting]), 'pcscd', '-f', '-c', config.configDir],
        { detached: true, stdio: ['ignore', logFd, logFd] },
      );
    } finally {
      closeSync(logFd);
    }
    const spawnError = new Promise<never>((_resolve, reject) => {
      child.once('error', (error) => {
        reject(new Error(`could not start systemd-socket-activate: ${error.message}`));
      });
    });
    spawnError.catch(() => undefined);
    const pid = child.pid;
    if (pid === undefined) await spawnError;
    const daemon = new PcscdDaemon(child, pid ?? -1, config);
    try {
      await Promise.race([daemon.waitReady(), spawnError]);
    } catch (error) {
      daemon.killSync();
      await withTimeout(daemon.exited, 2000, 'pcscd did not exit after SIGKILL').catch(() => undefined);
      throw error;
    }
    return daemon;
  }

  /** Whether the process is still alive. */
  get running(): boolean {
    return !this.hasExited;
  }

  /** Signals the process group and resolves once pcscd has exited (SIGKILL after `timeoutMs`). */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', timeoutMs = 5000): Promise<void> {
    if (this.hasExited) return;
    this.signalGroup(signal);
    try {
      await withTimeout(this.exited, timeoutMs, `pcscd ${this.pid} ignored ${signal}`);
    } catch {
      this.signalGroup('SIGKILL');
      await withTimeout(this.exited, timeoutMs, `pcscd ${this.pid} survived SIGKILL`);
    }
  }

  /** SIGKILLs the process group synchronously: for exit handlers. */
  killSync(): void {
    if (!this.hasExited) this.signalGroup('SIGKILL');
  }

  /** The last lines pcscd printed, for error messages. */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.config.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no pcscd log)';
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  private async waitReady(): Promise<void> {
    const { socketPath, timeoutMs, vpcdPorts } = this.config;
    const deadline = performance.now() + timeoutMs;
    const remaining = (): number => Math.max(1, deadline - performance.now());
    const describe = (what: string): string => `${what}\n--- pcscd log ---\n${this.logTail()}`;
    // The first connection makes the socket activator exec pcscd.
    await waitUntil(async () => this.exitedCheck() || (await unixSocketAccepts(socketPath)), {
      what: `the pcscd socket ${socketPath}`,
      timeoutMs: remaining(),
    }).catch((error: unknown) => {
      throw new Error(describe(String(error)));
    });
    if (this.exitedCheck()) throw new Error(describe('pcscd exited during start-up'));
    try {
      await waitUntil(
        async () => {
          if (this.exitedCheck()) return true;
          const ports = await listeningTcpPorts(this.pid);
          return vpcdPorts.every((port) => ports.has(port));
        },
        { what: `pcscd to listen on vpcd ports ${vpcdPorts.join(', ')}`, timeoutMs: remaining() },
      );
    } catch (error) {
      throw new VpcdPortsUnavailableError(describe(String(error)));
    }
    if (this.exitedCheck()) throw new Error(describe('pcscd exited during start-up'));
  }

  private exitedCheck(): boolean {
    return this.hasExited || this.child.exitCode !== null || this.child.signalCode !== null;
  }
}
