import type { CardMemo } from '../card/card-memo';
import type { CardSession } from '../card/card-session';
import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import { CardConnection } from './card-connection';
import { defaultBinding } from './pcsc-backend';
import { noReaderMessage } from './pcsc-error';
import type { PcscBinding } from './pcsclite-binding';
import { ReaderMonitor, type TrackedReader } from './reader-monitor';
import type { CardAccessOptions, ReaderEvent, ReaderInfo, ReaderService } from './reader-service';
import { SerialQueue } from './serial-queue';

export interface PcscReaderServiceOptions {
  /** Per-APDU timeout. A card that never answers fails after this long. */
  readonly exchangeTimeoutMs?: number;
  readonly binding?: PcscBinding;
  readonly log?: (message: string) => void;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

/** Default per-APDU timeout: real NHI cards answer in tens of milliseconds. */
export const DEFAULT_EXCHANGE_TIMEOUT_MS = 5000;

/** The ReaderService over real PC/SC, through the backend NHI_CARD_PCSC_BACKEND selects (see pcsc-backend.ts). */
export function createPcscReaderService(options: PcscReaderServiceOptions = {}): ReaderService {
  return new PcscReaderService(options);
}

class PcscReaderService implements ReaderService {
  private readonly monitor: ReaderMonitor;
  private readonly queue = new SerialQueue();
  /** Open card connections by reader, reused between commands while the card stays inserted. */
  private readonly connections = new Map<string, CardConnection>();
  /** Disconnects still under way, awaited before the same reader connects again. */
  private readonly closing = new Map<string, Promise<void>>();
  /** The reader whose card last answered as an NHI card: tried first next time. */
  private preferredReader: string | undefined;
  private readonly exchangeTimeoutMs: number;
  private closed = false;

  constructor(options: PcscReaderServiceOptions) {
    this.exchangeTimeoutMs = options.exchangeTimeoutMs ?? DEFAULT_EXCHANGE_TIMEOUT_MS;
    this.monitor = new ReaderMonitor(options.binding ?? defaultBinding(), {
      ...(options.log === undefined ? {} : { log: options.log }),
      ...(options.retryMinMs === undefined ? {} : { retryMinMs: options.retryMinMs }),
      ...(options.retryMaxMs === undefined ? {} : { retryMaxMs: options.retryMaxMs }),
    });
    this.monitor.onEvent((event) => {
      if (event.type === 'card-removed' || event.type === 'reader-removed' || event.type === 'card-inserted') {
        this.release(event.reader);
      }
    });
  }

  async listReaders(): Promise<ReaderInfo[]> {
    const readers = await this.monitor.current();
    return readers.map((reader) => ({
      name: reader.name,
      cardPresent: reader.cardPresent,
      ...(reader.atr === undefined ? {} : { atr: reader.atr }),
    }));
  }

  withCard<T>(use: (session: CardSession, reader: string, memo: CardMemo) => Promise<T>, options: CardAccessOptions = {}): Promise<T> {
    return this.queue.run(async () => {
      if (this.closed) throw new NhiCardError(ErrorCode.PcscUnavailable, 'the reader service is closed');
      const candidates = this.candidates(await this.monitor.current(), options.reader);
      let notNhi: NhiCardError | undefined;
      for (const reader of candidates) {
        try {
          const result = await this.useReader(reader, use);
          this.preferredReader = reader.name;
          return result;
        } catch (error) {
          if (error instanceof NhiCardError && error.code === ErrorCode.NotNhiCard) {
            notNhi = error;
            continue;
          }
          throw error;
        }
      }
      throw notNhi ?? new NhiCardError(ErrorCode.NotNhiCard, 'no NHI card found: the card in the reader is not an NHI card');
    });
  }

  onEvent(listener: (event: ReaderEvent) => void): () => void {
    return this.monitor.onEvent(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.run(async () => {
      const hung = [...this.connections.values()].some((connection) => connection.hung);
      for (const reader of [...this.connections.keys()]) this.release(reader);
      // A card that never answers would hold close() forever: only wait for clean disconnects.
      if (!hung) await Promise.all(this.closing.values());
    });
    this.monitor.close();
  }

  /** The readers to try, in order, or the error that says why there are none. */
  private candidates(readers: TrackedReader[], forced: string | undefined): TrackedReader[] {
    if (forced !== undefined) {
      const reader = readers.find((candidate) => candidate.name === forced);
      if (reader === undefined) {
        throw new NhiCardError(ErrorCode.ReaderNotFound, 'the requested reader is not connected: run `nhi-card readers` to see the names');
      }
      if (!reader.cardPresent) throw new NhiCardError(ErrorCode.NoCard, 'no card in the requested reader: insert the NHI card');
      return [reader];
    }
    if (readers.length === 0) throw new NhiCardError(ErrorCode.NoReader, noReaderMessage());
    const withCard = readers.filter((reader) => reader.cardPresent);
    if (withCard.length === 0) throw new NhiCardError(ErrorCode.NoCard, 'no card in the reader: insert the NHI card');
    return withCard.sort((a, b) => Number(b.name === this.preferredReader) - Number(a.name === this.preferredReader));
  }

  private async useReader<T>(reader: TrackedReader, use: (session: CardSession, reader: string, memo: CardMemo) => Promise<T>): Promise<T> {
    const connection = await this.connectionFor(reader);
    try {
      return await use(connection, reader.name, connection.memo);
    } finally {
      // A hung connection stays in place so the reader fails fast until the card is removed.
      if (connection.broken && !connection.hung) this.release(reader.name);
    }
  }

  private async connectionFor(reader: TrackedReader): Promise<CardConnection> {
    const existing = this.connections.get(reader.name);
    if (existing?.hung === true) {
      throw new NhiCardError(ErrorCode.CardTimeout, 'the card is not answering: remove it and insert it again');
    }
    if (existing !== undefined && !existing.broken) return existing;
    this.release(reader.name);
    await this.closing.get(reader.name);
    const connection = await CardConnection.open(reader.handle, this.exchangeTimeoutMs);
    this.connections.set(reader.name, connection);
    return connection;
  }

  /** Forgets a reader's connection and what its card told us, and disconnects (after any hung exchange has ended). */
  private release(reader: string): void {
    const connection = this.connections.get(reader);
    if (connection === undefined) return;
    connection.memo.forget();
    this.connections.delete(reader);
    const closing = connection.close().finally(() => {
      if (this.closing.get(reader) === closing) this.closing.delete(reader);
    });
    this.closing.set(reader, closing);
  }
}
