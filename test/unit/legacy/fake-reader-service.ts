/**
 * A ReaderService over in-memory card sessions (normally strict ScriptedSessions), with the
 * real service's contract: calls are serialized, readers are tried in order, NOT_NHI_CARD
 * moves on to the next reader, and each reader's memo lasts until `reinsert` says the card changed.
 */
import { CardMemo } from '../../../native-host/card/card-memo';
import type { CardSession } from '../../../native-host/card/card-session';
import type { ReaderInfo, ReaderService } from '../../../native-host/pcsc/reader-service';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { ErrorCode } from '../../../native-host/protocol/error-codes';

/** Either the sessions of the cards in the readers, or the error PC/SC gives before any card is reached. */
export type FakeReaders = readonly CardSession[] | NhiCardError;

/** A ReaderService whose readers hold the given sessions. */
export class FakeReaderService implements ReaderService {
  /** How many times `withCard` was called. */
  withCardCalls = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly memos = new Map<number, CardMemo>();

  constructor(private readonly readers: FakeReaders) {}

  listReaders(): Promise<ReaderInfo[]> {
    if (this.readers instanceof NhiCardError) return Promise.reject(this.readers);
    return Promise.resolve(this.readers.map((_, index) => ({ name: readerName(index), cardPresent: true })));
  }

  withCard<T>(use: (session: CardSession, reader: string, memo: CardMemo) => Promise<T>): Promise<T> {
    this.withCardCalls++;
    const run = this.queue.then(async () => this.tryEachReader(use));
    this.queue = run.catch(() => undefined);
    return run;
  }

  onEvent(): () => void {
    return () => undefined;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** As if the card in reader `index` was pulled and inserted again: its memo is forgotten. */
  reinsert(index: number): void {
    this.memos.get(index)?.forget();
    this.memos.delete(index);
  }

  private memoOf(index: number): CardMemo {
    const memo = this.memos.get(index) ?? new CardMemo();
    this.memos.set(index, memo);
    return memo;
  }

  private async tryEachReader<T>(use: (session: CardSession, reader: string, memo: CardMemo) => Promise<T>): Promise<T> {
    if (this.readers instanceof NhiCardError) throw this.readers;
    if (this.readers.length === 0) throw new NhiCardError(ErrorCode.NoCard, 'no card in any reader');
    let notNhi: unknown;
    for (const [index, session] of this.readers.entries()) {
      try {
        return await use(session, readerName(index), this.memoOf(index));
      } catch (error) {
        if (!(error instanceof NhiCardError) || error.code !== ErrorCode.NotNhiCard) throw error;
        notNhi = error;
      }
    }
    throw notNhi;
  }
}

function readerName(index: number): string {
  return `Fake Reader ${String(index).padStart(2, '0')}`;
}
