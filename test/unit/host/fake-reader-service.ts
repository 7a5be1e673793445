/**
 * A strict in-memory ReaderService for host tests. Cards answer only the NHI identity read
 * (SELECT, then READ BASIC) in that order; any other APDU, or a call after close, is recorded as
 * a violation (and fails the exchange) so tests can assert the host never did anything unexpected.
 */
import iconv from 'iconv-lite';
import { CardMemo } from '../../../native-host/card/card-memo';
import type { CardSession } from '../../../native-host/card/card-session';
import { SELECT_NHI_APPLET, READ_BASIC_DATA } from '../../../native-host/card/nhi-apdus';
import type { CardAccessOptions, ReaderEvent, ReaderInfo, ReaderService } from '../../../native-host/pcsc/reader-service';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { ErrorCode } from '../../../native-host/protocol/error-codes';

/** A synthetic holder, as stored on the card. */
export interface FakeHolder {
  readonly cardNumber: string;
  readonly name: string;
  readonly idNumber: string;
  readonly birthRoc: string;
  readonly sex: 'M' | 'F';
  readonly issueRoc: string;
}

/** The holder used throughout the host tests (synthetic data). */
export const TEST_HOLDER: FakeHolder = {
  cardNumber: '000011112222',
  name: '王測試',
  idNumber: 'B223456780',
  birthRoc: '0850203',
  sex: 'F',
  issueRoc: '1110405',
};

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();
export const SELECT_HEX = hex(SELECT_NHI_APPLET.toBytes());
export const READ_BASIC_HEX = hex(READ_BASIC_DATA.toBytes());
const OK = Uint8Array.of(0x90, 0x00);

/** The 57-byte basic record for `holder`, followed by 90 00. */
function basicAnswer(holder: FakeHolder): Uint8Array {
  const name = new Uint8Array(20);
  name.set(iconv.encode(holder.name, 'big5'));
  const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
  const parts = [ascii(holder.cardNumber), name, ascii(holder.idNumber), ascii(holder.birthRoc), ascii(holder.sex), ascii(holder.issueRoc), OK];
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

interface FakeReader {
  readonly name: string;
  /** The card in the reader: an NHI holder, or 'other' for a card without the NHI applet. */
  card: FakeHolder | 'other' | null;
}

export class FakeReaderService implements ReaderService {
  /** Every APDU sent to any card, as "reader: HEX", in order. */
  readonly apduLog: string[] = [];
  /** Things the host did that it must not do. Tests assert this stays empty. */
  readonly violations: string[] = [];
  closed = false;
  /** When set, card exchanges wait for this before answering (to hold requests in flight). */
  gate: Promise<void> | null = null;
  readonly #readers: FakeReader[] = [];
  readonly #listeners = new Set<(event: ReaderEvent) => void>();
  #queue: Promise<unknown> = Promise.resolve();
  #holders = 0;
  readonly #pending = new Set<(error: Error) => void>();

  addReader(name: string, card: FakeHolder | 'other' | null = null): this {
    this.#readers.push({ name, card });
    return this;
  }

  /** Puts a card in `reader` and reports it to subscribers. */
  insertCard(reader: string, card: FakeHolder | 'other' = TEST_HOLDER): void {
    this.#reader(reader).card = card;
    this.emit({ type: 'card-inserted', reader });
  }

  /** Number of active onEvent listeners. */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  emit(event: ReaderEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  listReaders(): Promise<ReaderInfo[]> {
    this.#checkOpen('listReaders');
    return Promise.resolve(
      this.#readers.map((r) => (r.card === null ? { name: r.name, cardPresent: false } : { name: r.name, cardPresent: true, atr: '3BFA1800' })),
    );
  }

  withCard<T>(use: (session: CardSession, reader: string, memo: CardMemo) => Promise<T>, options?: CardAccessOptions): Promise<T> {
    this.#checkOpen('withCard');
    // Serialized like the real service: each holder runs after the previous one settled.
    const turn = this.#queue.then(() => this.#holdCard(use, options));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  onEvent(listener: (event: ReaderEvent) => void): () => void {
    this.#checkOpen('onEvent');
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): Promise<void> {
    this.closed = true;
    for (const reject of this.#pending) reject(new NhiCardError(ErrorCode.PcscUnavailable, 'reader service closed'));
    return Promise.resolve();
  }

  async #holdCard<T>(use: (session: CardSession, reader: string, memo: CardMemo) => Promise<T>, options?: CardAccessOptions): Promise<T> {
    if (this.#holders !== 0) this.violations.push('two withCard holders at once');
    const candidates = this.#readers.filter((r) => r.card !== null && (options?.reader === undefined || r.name === options.reader));
    if (options?.reader !== undefined && !this.#readers.some((r) => r.name === options.reader)) {
      throw new NhiCardError(ErrorCode.ReaderNotFound, 'no such reader');
    }
    if (candidates.length === 0) throw new NhiCardError(ErrorCode.NoCard, 'no card present');
    let lastError: unknown;
    for (const reader of candidates) {
      this.#holders++;
      try {
        // A fresh memo every time: this fake's cards are read in full on every call.
        return await use(this.#session(reader), reader.name, new CardMemo());
      } catch (error) {
        lastError = error;
        if (!(error instanceof NhiCardError && error.code === ErrorCode.NotNhiCard)) throw error;
      } finally {
        this.#holders--;
      }
    }
    throw lastError;
  }

  /** A session that expects SELECT, then READ BASIC, and nothing else. */
  #session(reader: FakeReader): CardSession {
    let step = 0;
    return {
      transmit: async (command) => {
        const apdu = hex(command);
        this.apduLog.push(`${reader.name}: ${apdu}`);
        step++;
        await this.#wait();
        if (step === 1 && apdu === SELECT_HEX) return reader.card === 'other' ? Uint8Array.of(0x6a, 0x82) : OK;
        if (step === 2 && apdu === READ_BASIC_HEX && reader.card !== null && reader.card !== 'other') return basicAnswer(reader.card);
        const violation = `step ${step}: unexpected APDU ${apdu} on ${reader.name}`;
        this.violations.push(violation);
        throw new Error(violation);
      },
    };
  }

  /** Waits for the gate, if any; rejects when the service is closed meanwhile. */
  async #wait(): Promise<void> {
    const gate = this.gate;
    if (gate === null) return;
    let reject: (error: Error) => void = () => undefined;
    const closed = new Promise<never>((_resolve, rejectClosed) => {
      reject = rejectClosed;
    });
    this.#pending.add(reject);
    try {
      await Promise.race([gate, closed]);
    } finally {
      this.#pending.delete(reject);
    }
  }

  #reader(name: string): FakeReader {
    const reader = this.#readers.find((r) => r.name === name);
    if (reader === undefined) throw new Error(`test bug: no fake reader ${name}`);
    return reader;
  }

  #checkOpen(call: string): void {
    if (this.closed) this.violations.push(`${call} after close`);
  }
}
