import { NhiCardError } from '../protocol/nhi-card-error';
import type { ReaderEvent } from './reader-service';
import type { BindingContext, BindingReader, PcscBinding } from './pcsclite-binding';
import { isCancellation, pcscUnavailable, toNhiCardError } from './pcsc-error';

/** A reader we track, with the card state we derived from its status events. */
export interface TrackedReader {
  readonly name: string;
  readonly handle: BindingReader;
  cardPresent: boolean;
  atr: string | undefined;
  /** False until the reader's first status arrived: its card state is unknown before. */
  known: boolean;
  /** PC/SC's count of insertions and removals in this reader, as of the last status. */
  eventCount: number;
}

export interface ReaderMonitorOptions {
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** How long `current()` waits for the first enumeration of a fresh context. */
  readonly settleTimeoutMs?: number;
  readonly log?: (message: string) => void;
}

const ignore = (): void => undefined;

/**
 * Owns the PC/SC context: discovers readers, derives card presence from status events, and
 * reopens the context with backoff when pcscd goes away. Events reach listeners in the order
 * PC/SC reported them.
 */
export class ReaderMonitor {
  private context: BindingContext | undefined;
  private readonly readers = new Map<string, TrackedReader>();
  private listed = false;
  private lastFailure: NhiCardError | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;
  private closed = false;
  private readonly listeners = new Set<(event: ReaderEvent) => void>();
  private readonly settleWaiters = new Set<() => void>();
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private readonly settleTimeoutMs: number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly binding: PcscBinding,
    options: ReaderMonitorOptions = {},
  ) {
    this.retryMinMs = options.retryMinMs ?? 100;
    this.retryMaxMs = options.retryMaxMs ?? 2000;
    this.settleTimeoutMs = options.settleTimeoutMs ?? 3000;
    this.log = options.log ?? ignore;
    this.retryDelayMs = this.retryMinMs;
    this.open();
  }

  /** Subscribes to reader/card events; returns the unsubscribe function. */
  onEvent(listener: (event: ReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The readers as of now, once the context has finished its first enumeration. Rejects with
   * PCSC_UNAVAILABLE at once when there is no context (pcscd down), instead of waiting for it.
   */
  async current(): Promise<TrackedReader[]> {
    // Without a context, try to reconnect now rather than making the caller wait for the timer.
    if (!this.open()) throw this.lastFailure ?? pcscUnavailable();
    if (!this.settled()) await this.waitSettled();
    return [...this.readers.values()];
  }

  /** Stops monitoring and releases the context. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.teardown();
    this.listeners.clear();
  }

  private settled(): boolean {
    return this.listed && [...this.readers.values()].every((reader) => reader.known);
  }

  private waitSettled(): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.settleWaiters.delete(done);
        if (this.context === undefined) reject(this.lastFailure ?? pcscUnavailable());
        else resolve();
      };
      const timer = setTimeout(done, this.settleTimeoutMs);
      this.settleWaiters.add(done);
    });
  }

  private wakeSettleWaiters(): void {
    if (this.context !== undefined && !this.settled()) return;
    for (const waiter of [...this.settleWaiters]) waiter();
  }

  /** Opens a context unless one is open; returns whether one is open now. */
  private open(): boolean {
    if (this.context !== undefined) return true;
    if (this.closed) return false;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    let context: BindingContext;
    try {
      context = this.binding.open(() => {
        if (this.context !== context) return;
        this.listed = true;
        this.wakeSettleWaiters();
      });
    } catch (error) {
      this.lastFailure = toNhiCardError(error, 'connect');
      this.scheduleReopen();
      return false;
    }
    this.context = context;
    this.listed = false;
    this.lastFailure = undefined;
    context.on('error', (error) => {
      if (this.context !== context) return;
      this.log(`PC/SC context failed (${toNhiCardError(error, 'monitor').code}); reconnecting`);
      this.lastFailure = pcscUnavailable(error);
      this.teardown();
      this.scheduleReopen();
    });
    context.on('reader', (reader) => {
      if (this.context === context) this.track(reader);
    });
    return true;
  }

  private scheduleReopen(): void {
    if (this.closed || this.retryTimer !== undefined) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.retryMaxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.open()) this.retryDelayMs = this.retryMinMs;
    }, delay);
    // Never keep the process alive just to retry.
    this.retryTimer.unref();
  }

  private track(handle: BindingReader): void {
    const tracked: TrackedReader = { name: handle.name, handle, cardPresent: false, atr: undefined, known: false, eventCount: 0 };
    this.readers.set(handle.name, tracked);
    this.emit({ type: 'reader-added', reader: handle.name });
    handle.on('error', (error) => {
      if (!isCancellation(error)) this.log(`reader status failed (${toNhiCardError(error, 'status').code})`);
      tracked.known = true;
      this.wakeSettleWaiters();
    });
    handle.on('status', ({ state, atr }) => {
      const present = (state & handle.SCARD_STATE_PRESENT) !== 0 && (state & handle.SCARD_STATE_EMPTY) === 0;
      const wasPresent = tracked.cardPresent;
      // pcsc-lite counts insertions and removals in the state's high word: a card swapped between
      // two status reports is still "present", but under a new count.
      const eventCount = state >>> 16;
      const swapped = present && wasPresent && eventCount !== tracked.eventCount;
      tracked.known = true;
      tracked.cardPresent = present;
      tracked.eventCount = eventCount;
      tracked.atr = present && atr !== undefined && atr.length > 0 ? atr.toString('hex').toUpperCase() : undefined;
      if (swapped) this.emit({ type: 'card-removed', reader: tracked.name });
      if (present !== wasPresent || swapped) this.emit({ type: present ? 'card-inserted' : 'card-removed', reader: tracked.name });
      this.wakeSettleWaiters();
    });
    handle.on('end', () => {
      if (this.readers.get(tracked.name) !== tracked) return;
      this.forget(tracked);
      this.wakeSettleWaiters();
    });
  }

  private forget(tracked: TrackedReader): void {
    this.readers.delete(tracked.name);
    if (tracked.cardPresent) this.emit({ type: 'card-removed', reader: tracked.name });
    this.emit({ type: 'reader-removed', reader: tracked.name });
  }

  private teardown(): void {
    const context = this.context;
    this.context = undefined;
    this.listed = false;
    for (const tracked of [...this.readers.values()]) {
      // The binding emits a "cancelled" error on close: keep a listener so it cannot crash Node.
      tracked.handle.removeAllListeners();
      tracked.handle.on('error', ignore);
      try {
        tracked.handle.close();
      } catch {
        // Already closed by the binding.
      }
      this.forget(tracked);
    }
    if (context !== undefined) {
      context.removeAllListeners();
      context.on('error', ignore);
      // The binding may still announce readers from a last enumeration: neutralise them too.
      context.on('reader', (late) => {
        late.on('error', ignore);
        late.close();
      });
      try {
        context.close();
      } catch {
        // The context died with pcscd; nothing left to release.
      }
    }
    this.wakeSettleWaiters();
  }

  private emit(event: ReaderEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.log(`event listener failed: ${error instanceof Error ? error.name : 'unknown'}`);
      }
    }
  }
}
