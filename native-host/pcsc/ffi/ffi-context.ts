/**
 * The ffi backend's PC/SC context, with the event shape of the `pcsclite` binding's: it announces
 * readers ('reader'), each reader's card state ('status' on the reader), readers that went away
 * ('end' on the reader) and a context that failed ('error', e.g. the service stopped). One loop of
 * SCardGetStatusChange over every reader plus the `\\?PnP?\Notification` pseudo-reader, on a
 * worker thread; SCardCancel ends it on close.
 */
import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import type { BindingContext } from '../pcsclite-binding';
import { pcscCallError, PcscStatus } from '../pcsc-error';
import { decodeMultiString, charSize, integerBuffer, readInteger } from './abi-values';
import { FfiReader } from './ffi-reader';
import {
  INFINITE,
  PNP_NOTIFICATION_READER,
  SCARD_SCOPE_USER,
  SCARD_STATE_CHANGED,
  SCARD_STATE_IGNORE,
  SCARD_STATE_UNAWARE,
  SCARD_STATE_UNKNOWN,
} from './pcsc-constants';
import { ReaderStates } from './reader-states';
import type { WinscardLibrary } from './winscard-library';

/** Without PnP notifications (a PC/SC that lacks them), the reader list is polled this often. */
const LIST_POLL_MS = 1000;
/** How soon a cancel that came too early is sent again. */
const CANCEL_RETRY_MS = 50;

interface Watched {
  readonly reader: FfiReader;
  /** The state PC/SC last reported (CHANGED cleared), UNAWARE before the first report. */
  state: number;
}

export class FfiContext extends EventEmitter implements BindingContext {
  private readonly context: bigint;
  private readonly readers = new Map<string, Watched>();
  private pnpState = SCARD_STATE_UNAWARE;
  private pnpSupported = true;
  private closed = false;
  /** True while SCardGetStatusChange runs: the context is released when it returns. */
  private waiting = false;
  private released = false;

  /** Establishes the context (throws when PC/SC is unreachable) and starts watching after this tick. */
  constructor(
    private readonly library: WinscardLibrary,
    private readonly onListed: () => void,
  ) {
    super();
    const out = integerBuffer(library.abi.handle);
    const status = library.establishContext(SCARD_SCOPE_USER, out);
    if (status !== PcscStatus.success) throw pcscCallError('SCardEstablishContext', status);
    this.context = readInteger(out, 0, library.abi.handle);
    // Listeners are attached by the caller after the constructor returns.
    setImmediate(() => {
      void this.watch();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.waiting) this.cancelWait();
    else this.release();
  }

  /**
   * Cancels the running SCardGetStatusChange, again and again until it returns: `waiting` is set
   * before the call reaches its worker thread, and pcsc-lite drops a cancel that arrives before the
   * wait has begun, which left the process waiting for ever on exit.
   */
  private cancelWait(): void {
    this.library.cancel(this.context);
    const retry = setInterval(() => {
      if (this.waiting) this.library.cancel(this.context);
      else clearInterval(retry);
    }, CANCEL_RETRY_MS);
  }

  /** Read through a call, so checks after an await are not narrowed away: close() may run meanwhile. */
  private isClosed(): boolean {
    return this.closed;
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.library.releaseContext(this.context);
  }

  private async watch(): Promise<void> {
    try {
      while (!this.closed) {
        this.updateReaders(await this.listReaders());
        if (this.isClosed()) break;
        this.onListed();
        await this.waitForReaderListChange();
      }
    } catch (error) {
      if (!this.closed) this.emit('error', error);
    } finally {
      this.release();
    }
  }

  private async listReaders(): Promise<string[]> {
    const { abi } = this.library;
    for (;;) {
      const length = integerBuffer(abi.dword);
      let status = await this.library.listReaders(this.context, null, length);
      if (status === PcscStatus.noReadersAvailable) return [];
      if (status !== PcscStatus.success) throw pcscCallError('SCardListReaders', status);
      const units = Number(readInteger(length, 0, abi.dword));
      const names = Buffer.alloc(units * charSize(abi));
      status = await this.library.listReaders(this.context, names, length);
      if (status === PcscStatus.noReadersAvailable) return [];
      // A reader plugged in between the two calls: ask again.
      if (status === PcscStatus.insufficientBuffer) continue;
      if (status !== PcscStatus.success) throw pcscCallError('SCardListReaders', status);
      return decodeMultiString(abi, names, Number(readInteger(length, 0, abi.dword)));
    }
  }

  private updateReaders(names: readonly string[]): void {
    for (const [name, watched] of [...this.readers]) {
      if (names.includes(name)) continue;
      this.readers.delete(name);
      watched.reader.emit('end');
    }
    for (const name of names) {
      if (this.readers.has(name)) continue;
      const reader = new FfiReader(this.library, name);
      this.readers.set(name, { reader, state: SCARD_STATE_UNAWARE });
      this.emit('reader', reader);
    }
  }

  /** Reports card changes until the set of readers changes (or the context is closed). */
  private async waitForReaderListChange(): Promise<void> {
    while (!this.closed) {
      const watched = [...this.readers.values()];
      const inputs = watched.map(({ reader, state }) => ({ name: reader.name, currentState: state }));
      if (this.pnpSupported) inputs.push({ name: PNP_NOTIFICATION_READER, currentState: this.pnpState });
      // Nothing to wait on at all: poll the list.
      if (inputs.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, LIST_POLL_MS));
        return;
      }
      const states = new ReaderStates(this.library.abi, this.library.addressOf, inputs);
      this.waiting = true;
      let status: number;
      try {
        status = await this.library.getStatusChange(this.context, this.pnpSupported ? INFINITE : LIST_POLL_MS, states.buffer, states.count);
      } finally {
        this.waiting = false;
      }
      if (this.isClosed() || status === PcscStatus.cancelled) return;
      if (status === PcscStatus.timeout) {
        if (this.pnpSupported) continue;
        return;
      }
      // A reader went away between listing and waiting.
      if (status === PcscStatus.unknownReader || status === PcscStatus.readerUnavailable) return;
      if (status !== PcscStatus.success) throw pcscCallError('SCardGetStatusChange', status);
      if (this.report(watched, states)) return;
    }
  }

  /** Emits the changed readers' statuses; true when the reader list must be read again. */
  private report(watched: readonly Watched[], states: ReaderStates): boolean {
    let relist = false;
    watched.forEach((entry, index) => {
      const event = states.eventState(index);
      if ((event & SCARD_STATE_CHANGED) === 0 && entry.state !== SCARD_STATE_UNAWARE) return;
      entry.state = event & ~SCARD_STATE_CHANGED;
      if ((event & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE)) !== 0) {
        relist = true;
        return;
      }
      entry.reader.emit('status', { state: event, atr: states.atr(index) });
    });
    if (this.pnpSupported) {
      const event = states.eventState(watched.length);
      if ((event & SCARD_STATE_UNKNOWN) !== 0) {
        // This PC/SC has no PnP notifications: fall back to polling the list.
        this.pnpSupported = false;
        relist = true;
      } else if ((event & SCARD_STATE_CHANGED) !== 0) {
        this.pnpState = event & ~SCARD_STATE_CHANGED;
        relist = true;
      }
    }
    return relist;
  }
}
