/**
 * The integration test rig: a private pcscd (its own socket, its own vpcd ports, TCP_NODELAY
 * shim) plus virtual NHI cards inserted into its vpcd readers.
 *
 * The pcsc-lite client library caches the socket name per process, so every rig in a process
 * uses the same socket path (one rig at a time per process unless `socketPath` is given), and
 * restarting pcscd reuses it. Set `process.env.PCSCLITE_CSOCK_NAME = rig.env.PCSCLITE_CSOCK_NAME`
 * before the first PC/SC call.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fixtureProfile, type FixtureProfileName } from '../fixtures/profiles.js';
import type { CardProfile } from '../sim/virtual-card/profile.js';
import { VirtualCard, type VirtualCardOptions } from '../sim/virtual-card/virtual-card.js';
import { onProcessExit } from './exit-cleanup.js';
import { findFreePortRun } from './free-ports.js';
import { buildC, NODELAY_SHIM, WAIT_EMPTY } from './c-build.js';
import { PcscdDaemon, VpcdPortsUnavailableError } from './pcscd-daemon.js';
import { holdsConnectionOn, waitUntil, withTimeout } from './readiness.js';
import { OWNER_FILE, sweepStaleRigDirs } from './stale-sweep.js';

const execFileAsync = promisify(execFile);
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const PCSCD_RUN_DIR = '/run/pcscd';

export interface RigOptions {
  /** How many readers (default 2). vpcd creates readers in pairs, so odd counts round up. At most 8. */
  readonly readers?: number;
  /** Socket path for this rig; defaults to one fixed path per process (see the module comment). */
  readonly socketPath?: string;
  /** Bound for pcscd start-up (default 10 s). */
  readonly startTimeoutMs?: number;
  /** Preload the TCP_NODELAY shim into pcscd (default true; false only to measure the Nagle delay). */
  readonly tcpNoDelay?: boolean;
}

/** What to insert: a fixture name, a profile, or a profile with card options and faults. */
export type CardSpec = FixtureProfileName | CardProfile | VirtualCardOptions;

export interface InsertOptions {
  /** Bound for pcscd to power the card up (default 5 s; pcscd polls about every 400 ms). */
  readonly timeoutMs?: number;
}

/** A running rig. Every method is safe to call after a failed test; `close()` is idempotent. */
export interface Rig {
  /** The rig's temp directory (reader.conf.d, pcscd.log). */
  readonly dir: string;
  readonly socketPath: string;
  /** Environment for PC/SC clients (child processes, or process.env once per process). */
  readonly env: { readonly PCSCLITE_CSOCK_NAME: string };
  /** Reader names in slot order, e.g. ["Virtual PCD 00 00", "Virtual PCD 00 01"]. */
  readonly readerNames: readonly string[];
  /** vpcd port of each slot. */
  readonly vpcdPorts: readonly number[];
  /** Path of the compiled TCP_NODELAY shim pcscd runs with, undefined when disabled. */
  readonly shimPath: string | undefined;
  readonly pcscdLogPath: string;
  /** The pcscd process id while it runs. */
  readonly pcscdPid: number | undefined;
  readonly pcscdRunning: boolean;
  /** Milliseconds the last pcscd start took (spawn to ready). */
  readonly lastStartMs: number;
  /** Inserts a virtual card; resolves once pcscd has powered it up (asked for its ATR). */
  insertCard(slot: number, card: CardSpec, options?: InsertOptions): Promise<VirtualCard>;
  /** The card in a slot, if one is inserted. */
  card(slot: number): VirtualCard | undefined;
  /**
   * Removes the card in a slot (no-op when empty); resolves once vpcd has dropped the connection,
   * i.e. pcscd has seen the card go (its next presence poll, up to ~400 ms).
   */
  removeCard(slot: number): Promise<void>;
  /**
   * Stops pcscd (SIGTERM, or SIGKILL to simulate a crash) and resolves once it has exited.
   * Its death closes every card's socket: all slots are empty afterwards.
   */
  stopPcscd(options?: { readonly signal?: 'SIGTERM' | 'SIGKILL' }): Promise<void>;
  /** Starts pcscd again on the same socket path and ports. Cards are NOT re-inserted: insert them again. */
  startPcscd(): Promise<void>;
  /** Kills pcscd, removes every card and deletes the temp dir. Idempotent. */
  close(): Promise<void>;
}

const processSocketPath = join(tmpdir(), `nhi-rig-${process.pid}`, 'pcscd.comm');
let processSocketInUse = false;

/** Starts a rig: a private pcscd with `readers` vpcd readers, ready for clients and cards. */
export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const readers = options.readers ?? 2;
  if (!Number.isInteger(readers) || readers < 1 || readers > 8) {
    throw new RangeError(`readers must be 1..8, got ${readers}`);
  }
  const usesProcessSocket = options.socketPath === undefined;
  if (usesProcessSocket && processSocketInUse) {
    throw new Error(
      'a rig is already open in this process; close it first, or pass socketPath (pcsc-lite caches the socket name per process)',
    );
  }
  if (usesProcessSocket) processSocketInUse = true;
  try {
    return await PcscRig.create(
      Math.ceil(readers / 2),
      options.socketPath ?? processSocketPath,
      options.startTimeoutMs ?? 10_000,
      options.tcpNoDelay ?? true,
      () => {
        if (!usesProcessSocket) return;
        processSocketInUse = false;
        try {
          rmdirSync(dirname(processSocketPath));
        } catch {
          // Not empty or already gone.
        }
      },
    );
  } catch (error) {
    if (usesProcessSocket) processSocketInUse = false;
    throw error;
  }
}

function resolveCard(spec: CardSpec): VirtualCardOptions {
  if (typeof spec === 'string') return { profile: fixtureProfile(spec) };
  if ('profile' in spec) return spec;
  return { profile: spec };
}

function readerConf(pairs: number, basePort: number): string {
  const entries: string[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const port = basePort + 2 * pair;
    entries.push(
      [
        `FRIENDLYNAME "${friendlyName(pair)}"`,
        `DEVICENAME /dev/null:${port}`,
        `LIBPATH ${VPCD_DRIVER}`,
        `CHANNELID ${port}`,
      ].join('\n'),
    );
  }
  return `${entries.join('\n\n')}\n`;
}

function friendlyName(pair: number): string {
  return pair === 0 ? 'Virtual PCD' : `Virtual PCD ${String.fromCharCode(0x41 + pair)}`;
}

class PcscRig implements Rig {
  private daemon: PcscdDaemon | undefined;
  private readonly slots: (VirtualCard | undefined)[];
  private closing: Promise<void> | undefined;
  private readonly unregisterExit: () => void;
  lastStartMs = 0;

  private constructor(
    readonly dir: string,
    readonly socketPath: string,
    readonly vpcdPorts: readonly number[],
    readonly shimPath: string | undefined,
    private readonly startTimeoutMs: number,
    private readonly releaseSocket: () => void,
  ) {
    this.slots = vpcdPorts.map(() => undefined);
    this.unregisterExit = onProcessExit(() => {
      this.daemon?.killSync();
      rmSync(this.dir, { recursive: true, force: true });
      rmSync(this.socketPath, { force: true });
      this.releaseSocket();
    });
  }

  static async create(
    pairs: number,
    socketPath: string,
    startTimeoutMs: number,
    tcpNoDelay: boolean,
    releaseSocket: () => void,
  ): Promise<PcscRig> {
    mkdirSync(PCSCD_RUN_DIR, { recursive: true });
    await sweepStaleRigDirs();
    await mkdir(dirname(socketPath), { recursive: true });
    const shimPath = tcpNoDelay ? await buildC(NODELAY_SHIM) : undefined;
    const dir = await mkdtemp(join(tmpdir(), 'nhi-rig-'));
    await mkdir(join(dir, 'reader.conf.d'));
    await writeFile(join(dir, OWNER_FILE), String(process.pid));
    // Ports can be taken between probing and pcscd binding them: retry with fresh ones.
    for (let attempt = 1; ; attempt++) {
      const base = await findFreePortRun(2 * pairs);
      await writeFile(join(dir, 'reader.conf.d', 'vpcd'), readerConf(pairs, base));
      const ports = Array.from({ length: 2 * pairs }, (_unused, index) => base + index);
      const rig = new PcscRig(dir, socketPath, ports, shimPath, startTimeoutMs, releaseSocket);
      try {
        await rig.startPcscd();
        return rig;
      } catch (error) {
        // PcscdDaemon.start already killed the daemon it spawned.
        rig.unregisterExit();
        if (!(error instanceof VpcdPortsUnavailableError) || attempt >= 3) {
          await rm(dir, { recursive: true, force: true });
          releaseSocket();
          throw error;
        }
      }
    }
  }

  get env(): { readonly PCSCLITE_CSOCK_NAME: string } {
    return { PCSCLITE_CSOCK_NAME: this.socketPath };
  }

  get readerNames(): readonly string[] {
    return this.vpcdPorts.map((_port, index) => `${friendlyName(Math.floor(index / 2))} 00 0${index % 2}`);
  }

  get pcscdLogPath(): string {
    return join(this.dir, 'pcscd.log');
  }

  get pcscdPid(): number | undefined {
    return this.daemon?.running === true ? this.daemon.pid : undefined;
  }

  get pcscdRunning(): boolean {
    return this.daemon?.running === true;
  }

  async startPcscd(): Promise<void> {
    if (this.closing !== undefined) throw new Error('the rig is closed');
    if (this.daemon?.running === true) throw new Error('pcscd is already running');
    const started = performance.now();
    this.daemon = await PcscdDaemon.start({
      socketPath: this.socketPath,
      configDir: join(this.dir, 'reader.conf.d'),
      logPath: this.pcscdLogPath,
      shimPath: this.shimPath,
      vpcdPorts: this.vpcdPorts,
      timeoutMs: this.startTimeoutMs,
    });
    this.lastStartMs = performance.now() - started;
  }

  async stopPcscd(options: { readonly signal?: 'SIGTERM' | 'SIGKILL' } = {}): Promise<void> {
    await this.daemon?.stop(options.signal ?? 'SIGTERM');
    await this.forgetCards();
  }

  async insertCard(slot: number, spec: CardSpec, options: InsertOptions = {}): Promise<VirtualCard> {
    const port = this.portOf(slot);
    if (this.daemon?.running !== true) throw new Error('pcscd is not running: startPcscd() first');
    if (this.slots[slot]?.removed === false) throw new Error(`slot ${slot} already holds a card; remove it first`);
    // A card swapped faster than pcscd's presence poll is never seen as removed (and never powered
    // up again): wait until vpcd has let go of the previous card in this slot.
    await this.waitForEmptySlot(slot, port);
    const card = await VirtualCard.insert({ port }, resolveCard(spec));
    this.slots[slot] = card;
    const timeoutMs = options.timeoutMs ?? 5000;
    try {
      await withTimeout(
        Promise.race([card.poweredUp, card.closed.then(() => Promise.reject(new Error('vpcd closed the card connection')))]),
        timeoutMs,
        `pcscd did not power up the card in "${this.readerNames[slot] ?? String(slot)}" within ${timeoutMs} ms`,
      );
    } catch (error) {
      this.slots[slot] = undefined;
      await card.remove();
      throw error;
    }
    return card;
  }

  card(slot: number): VirtualCard | undefined {
    this.portOf(slot);
    const card = this.slots[slot];
    return card?.removed === false ? card : undefined;
  }

  async removeCard(slot: number): Promise<void> {
    this.portOf(slot);
    const card = this.slots[slot];
    this.slots[slot] = undefined;
    await card?.remove();
    await this.waitForEmptySlot(slot, this.portOf(slot));
  }

  private async waitForEmptySlot(slot: number, port: number): Promise<void> {
    const daemon = this.daemon;
    if (daemon?.running !== true) return;
    const reader = this.readerNames[slot] ?? String(slot);
    await waitUntil(async () => !(await holdsConnectionOn(daemon.pid, port)), {
      what: `vpcd to release the previous card in "${reader}"`,
      timeoutMs: 5000,
      intervalMs: 20,
    });
    // vpcd letting go is not enough: pcscd must also have polled the slot empty, or a card put in
    // right after one that removed itself is never powered up.
    const waitEmpty = await buildC(WAIT_EMPTY);
    await execFileAsync(waitEmpty, [reader, '5000'], { env: { ...process.env, ...this.env }, timeout: 10_000 }).catch((error: unknown) => {
      throw new Error(`pcscd did not see "${reader}" empty within 5000 ms`, { cause: error });
    });
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    try {
      await this.daemon?.stop('SIGKILL');
    } finally {
      await Promise.all(
        this.slots.map(async (card) => {
          await card?.remove();
        }),
      );
      this.slots.fill(undefined);
      await rm(this.dir, { recursive: true, force: true });
      await rm(this.socketPath, { force: true });
      this.unregisterExit();
      this.releaseSocket();
    }
  }

  private async forgetCards(): Promise<void> {
    // pcscd's death closed the vpcd connections; wait for the cards to notice.
    await Promise.all(
      this.slots.map(async (card) => {
        if (card === undefined) return;
        await withTimeout(card.closed, 2000, 'card socket still open after pcscd exit').catch(() => card.remove());
      }),
    );
    this.slots.fill(undefined);
  }

  private portOf(slot: number): number {
    const port = this.vpcdPorts[slot];
    if (!Number.isInteger(slot) || port === undefined) {
      throw new RangeError(`slot must be 0..${this.vpcdPorts.length - 1}, got ${slot}`);
    }
    return port;
  }
}
