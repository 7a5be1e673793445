/**
 * One reader for the ffi backend, with the event-and-callback shape of the `pcsclite` binding's
 * reader so CardConnection and ReaderMonitor use both backends alike. Card I/O runs on a PC/SC
 * context of its own, apart from the monitor's context, which is blocked in status changes.
 */
import { Buffer } from 'node:buffer';
import type { BindingReader } from '../pcsclite-binding';
import { BindingReaderBase } from './binding-reader-base';
import { pcscCallError, PcscStatus } from '../pcsc-error';
import { encodeString, integerBuffer, readInteger, writeInteger } from './abi-values';
import { ioRequestSize } from './pcsc-abi';
import { SCARD_SCOPE_USER } from './pcsc-constants';
import type { WinscardLibrary } from './winscard-library';

export class FfiReader extends BindingReaderBase implements BindingReader {
  private context: bigint | undefined;
  private card: bigint | undefined;
  /** Calls under way on `context`: it is released only once they have returned. */
  private running = 0;
  private closed = false;

  constructor(
    private readonly library: WinscardLibrary,
    readonly name: string,
  ) {
    super();
  }

  get connected(): boolean {
    return this.card !== undefined;
  }

  connect(options: { share_mode: number; protocol: number }, callback: (error: unknown, protocol: number) => void): void {
    const { abi } = this.library;
    const cardOut = integerBuffer(abi.handle);
    const protocolOut = integerBuffer(abi.dword);
    this.call('SCardConnect', (context) =>
      this.library.connect(context, encodeString(abi, this.name), options.share_mode, options.protocol, cardOut, protocolOut),
    ).then(
      () => {
        this.card = readInteger(cardOut, 0, abi.handle);
        callback(undefined, Number(readInteger(protocolOut, 0, abi.dword)));
      },
      (error: unknown) => {
        callback(error, 0);
      },
    );
  }

  disconnect(disposition: number, callback: (error: unknown) => void): void {
    const card = this.card;
    this.card = undefined;
    if (card === undefined) {
      callback(undefined);
      return;
    }
    this.call('SCardDisconnect', () => this.library.disconnect(card, disposition)).then(
      () => {
        callback(undefined);
      },
      callback,
    );
  }

  transmit(data: Buffer, maxResponseLength: number, protocol: number, callback: (error: unknown, response: Buffer) => void): void {
    const card = this.card;
    if (card === undefined) {
      callback(pcscCallError('SCardTransmit', PcscStatus.invalidHandle), Buffer.alloc(0));
      return;
    }
    const { abi } = this.library;
    const sendPci = Buffer.alloc(ioRequestSize(abi));
    writeInteger(sendPci, 0, abi.dword, BigInt(protocol));
    writeInteger(sendPci, ioRequestSize(abi) / 2, abi.dword, BigInt(ioRequestSize(abi)));
    const response = Buffer.alloc(maxResponseLength);
    const responseLength = integerBuffer(abi.dword, BigInt(maxResponseLength));
    this.call('SCardTransmit', () => this.library.transmit(card, sendPci, Buffer.from(data), response, responseLength)).then(
      () => {
        const length = Math.min(Number(readInteger(responseLength, 0, abi.dword)), maxResponseLength);
        callback(undefined, response.subarray(0, length));
      },
      (error: unknown) => {
        callback(error, Buffer.alloc(0));
      },
    );
  }

  /** Releases the reader's context once its calls have returned; the reader is unusable after. */
  close(): void {
    this.closed = true;
    this.card = undefined;
    this.releaseWhenIdle();
  }

  /** Runs one PC/SC call on this reader's context (established on first use); rejects with the status. */
  private async call(name: string, run: (context: bigint) => Promise<number>): Promise<void> {
    if (this.closed) throw pcscCallError(name, PcscStatus.invalidHandle);
    const context = this.ensureContext();
    this.running += 1;
    let status: number;
    try {
      status = await run(context);
    } finally {
      this.running -= 1;
      this.releaseWhenIdle();
    }
    if (status !== PcscStatus.success) throw pcscCallError(name, status);
  }

  private ensureContext(): bigint {
    if (this.context !== undefined) return this.context;
    const out = integerBuffer(this.library.abi.handle);
    const status = this.library.establishContext(SCARD_SCOPE_USER, out);
    if (status !== PcscStatus.success) throw pcscCallError('SCardEstablishContext', status);
    this.context = readInteger(out, 0, this.library.abi.handle);
    return this.context;
  }

  private releaseWhenIdle(): void {
    if (!this.closed || this.running > 0 || this.context === undefined) return;
    this.library.releaseContext(this.context);
    this.context = undefined;
  }
}
