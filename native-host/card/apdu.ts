/**
 * APDUs as values: what we send (`CommandApdu`) and what the card answers (`ResponseApdu`).
 * Only short APDUs (ISO 7816-4, at most 255 data bytes): the NHI card never needs more.
 */
import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import { toHex } from './hex';

/** The fields of a command APDU; `le` is the Le byte as sent (0x00 asks for up to 256 bytes). */
export interface CommandApduFields {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data?: Uint8Array;
  readonly le?: number;
}

const MAX_SHORT_DATA_LENGTH = 255;

/** A command APDU: header, optional data (Lc is derived from it) and optional Le. */
export class CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  /** The Le byte, when the command expects data back; 0x00 means "up to 256". */
  readonly le: number | undefined;
  // Private copy: APDU constants are shared module-wide, so no caller may mutate their data.
  readonly #data: Uint8Array;

  constructor(fields: CommandApduFields) {
    for (const [name, value] of [
      ['CLA', fields.cla],
      ['INS', fields.ins],
      ['P1', fields.p1],
      ['P2', fields.p2],
      ['Le', fields.le ?? 0],
    ] as const) {
      if (!Number.isInteger(value) || value < 0 || value > 0xff) {
        throw new NhiCardError(ErrorCode.Internal, `APDU ${name} must be a byte, got ${value}`);
      }
    }
    const data = fields.data ?? new Uint8Array(0);
    if (data.length > MAX_SHORT_DATA_LENGTH) {
      throw new NhiCardError(ErrorCode.Internal, `APDU data must be at most ${MAX_SHORT_DATA_LENGTH} bytes, got ${data.length}`);
    }
    this.cla = fields.cla;
    this.ins = fields.ins;
    this.p1 = fields.p1;
    this.p2 = fields.p2;
    this.le = fields.le;
    this.#data = data.slice();
  }

  /** The command data (a copy). */
  get data(): Uint8Array {
    return this.#data.slice();
  }

  /** The same command asking for exactly `le` bytes (what a `6C XX` answer requests). */
  withLe(le: number): CommandApdu {
    return new CommandApdu({ cla: this.cla, ins: this.ins, p1: this.p1, p2: this.p2, data: this.#data, le });
  }

  /** The bytes on the wire: CLA INS P1 P2 [Lc data] [Le]. */
  toBytes(): Uint8Array {
    const header = [this.cla, this.ins, this.p1, this.p2];
    const body = this.#data.length > 0 ? [this.#data.length, ...this.#data] : [];
    const trailer = this.le === undefined ? [] : [this.le];
    return Uint8Array.from([...header, ...body, ...trailer]);
  }

  /** Upper-case spaced hex of the wire bytes, for traces and test failures (commands carry no holder data). */
  toString(): string {
    return toHex(this.toBytes());
  }
}

/** The status word that means "done, no error". */
export const SW_SUCCESS = 0x9000;

/** A card answer split into data and status word. */
export class ResponseApdu {
  constructor(
    readonly data: Uint8Array,
    readonly sw1: number,
    readonly sw2: number,
  ) {}

  /** Splits a raw answer; fewer than 2 bytes means the card is gone, so that is CardRemoved. */
  static fromBytes(raw: Uint8Array): ResponseApdu {
    const sw1 = raw[raw.length - 2];
    const sw2 = raw[raw.length - 1];
    if (raw.length < 2 || sw1 === undefined || sw2 === undefined) {
      throw new NhiCardError(ErrorCode.CardRemoved, 'the card stopped answering: it may have been removed');
    }
    return new ResponseApdu(raw.slice(0, -2), sw1, sw2);
  }

  /** SW1 and SW2 as one number, e.g. 0x9000. */
  get sw(): number {
    return (this.sw1 << 8) | this.sw2;
  }

  /** The status word as four hex digits (`6A82`), safe for error messages. */
  get swHex(): string {
    return toHex(Uint8Array.of(this.sw1, this.sw2), '');
  }

  /** True for 90 00. */
  get isSuccess(): boolean {
    return this.sw === SW_SUCCESS;
  }
}
