/**
 * An array of SCARD_READERSTATE in native memory for SCardGetStatusChange, laid out by PcscAbi.
 * The reader names are buffers this object keeps alive while the call runs.
 */
import { Buffer } from 'node:buffer';
import { encodeString, readInteger, writeInteger } from './abi-values';
import { readerStateLayout, type PcscAbi, type ReaderStateLayout } from './pcsc-abi';

/** What we tell PC/SC about one reader: its name and the state we last saw. */
export interface ReaderStateInput {
  readonly name: string;
  readonly currentState: number;
}

export class ReaderStates {
  /** The array itself, passed as the call's SCARD_READERSTATE pointer. */
  readonly buffer: Buffer;
  private readonly layout: ReaderStateLayout;
  /** Referenced so the names outlive the (asynchronous) call that reads them. */
  private readonly names: Buffer[];

  constructor(
    private readonly abi: PcscAbi,
    addressOf: (buffer: Buffer) => bigint,
    readonly inputs: readonly ReaderStateInput[],
  ) {
    this.layout = readerStateLayout(abi);
    this.buffer = Buffer.alloc(this.layout.size * inputs.length);
    this.names = inputs.map((input) => encodeString(abi, input.name));
    inputs.forEach((input, index) => {
      const base = index * this.layout.size;
      const name = this.names[index];
      if (name === undefined) return;
      writeInteger(this.buffer, base + this.layout.szReader, 'uint64', addressOf(name));
      writeInteger(this.buffer, base + this.layout.dwCurrentState, abi.dword, BigInt(input.currentState));
    });
  }

  get count(): number {
    return this.inputs.length;
  }

  /** dwEventState of entry `index` after the call. */
  eventState(index: number): number {
    return Number(BigInt.asUintN(32, readInteger(this.buffer, index * this.layout.size + this.layout.dwEventState, this.abi.dword)));
  }

  /** The ATR PC/SC reported for entry `index` (empty when none). */
  atr(index: number): Buffer {
    const base = index * this.layout.size;
    const length = Number(readInteger(this.buffer, base + this.layout.cbAtr, this.abi.dword));
    const bounded = Math.max(0, Math.min(length, this.abi.atrSize));
    return Buffer.from(this.buffer.subarray(base + this.layout.rgbAtr, base + this.layout.rgbAtr + bounded));
  }
}
