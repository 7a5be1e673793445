/**
 * A virtual NHI card plugged into vpcd: a TCP client that answers vpcd's control codes and
 * APDUs with {@link NhiCardBehaviour}, plus the transport faults tests need (slow, silent or
 * vanishing cards). Connecting inserts the card; closing the socket removes it.
 */
import { createConnection, type Socket } from 'node:net';
import { toHex } from './command-apdu.js';
import { NhiCardBehaviour, type NhiCardOptions } from './nhi-card.js';
import type { CardProfile } from './profile.js';
import { encodeVpcdFrame, VpcdControl, VpcdFrameDecoder, type VpcdMessage } from './vpcd-codec.js';

/** Transport faults; they can be changed while the card is inserted with {@link VirtualCard.setFaults}. */
export interface VirtualCardFaults {
  /** Delay every R-APDU by this many milliseconds (the ATR is never delayed). */
  readonly delayMs?: number;
  /** `true`: never answer an APDU. A number N: answer the first N APDUs, then stay silent. */
  readonly neverAnswer?: boolean | number;
  /** Close the socket (remove the card) when APDU N+1 arrives, without answering it. */
  readonly removeAfterApdus?: number;
}

/** Everything that makes one virtual card. */
export interface VirtualCardOptions extends NhiCardOptions, VirtualCardFaults {
  readonly profile: CardProfile;
}

/** One APDU as the card saw it. Times are process.hrtime.bigint() nanoseconds. */
export interface ApduLogEntry {
  /** The C-APDU in upper-case hex. */
  readonly command: string;
  /** The R-APDU in upper-case hex, or undefined when the card did not answer (fault or removal). */
  readonly response: string | undefined;
  /** When the command arrived. */
  readonly at: bigint;
  /** When the answer was written, if it was. */
  readonly answeredAt: bigint | undefined;
}

/** A control code vpcd sent, with its arrival time. */
export interface ControlLogEntry {
  readonly code: number;
  readonly at: bigint;
}

/** Where the card plugs in: vpcd's port for one reader slot. */
export interface VpcdAddress {
  readonly port: number;
  readonly host?: string;
}

/** A virtual card connected (inserted) into a vpcd reader. */
export class VirtualCard {
  readonly behaviour: NhiCardBehaviour;
  /** Every APDU received, in order; tests assert ordering and that exchanges never interleave. */
  readonly apduLog: ApduLogEntry[] = [];
  /** Every control code received, in order. */
  readonly controlLog: ControlLogEntry[] = [];
  /**
   * Resolves once pcscd has powered the card up: the first ATR request that follows a power-on.
   * (vpcd also asks for the ATR on every ~400 ms presence poll, so an ATR request alone means little.)
   */
  readonly poweredUp: Promise<void>;
  /** Resolves once the socket is closed, whoever closed it. */
  readonly closed: Promise<void>;

  private faults: VirtualCardFaults;
  private readonly decoder = new VpcdFrameDecoder();
  private queue: Promise<void> = Promise.resolve();
  private apduCount = 0;
  /** The holder data this card carries. */
  readonly profile: CardProfile;
  private markPoweredUp: () => void = () => undefined;
  private isClosed = false;
  private powerOnSeen = false;

  private constructor(
    private readonly socket: Socket,
    options: VirtualCardOptions,
  ) {
    this.profile = options.profile;
    this.behaviour = new NhiCardBehaviour(options.profile, options);
    this.faults = pickFaults(options);
    this.poweredUp = new Promise((resolve) => {
      this.markPoweredUp = resolve;
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.isClosed = true;
        resolve();
      });
    });
    // Errors (ECONNRESET when pcscd dies) end in 'close'; the card is then simply removed.
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const message of this.decoder.push(chunk)) {
        this.queue = this.queue.then(() => this.handle(message));
      }
    });
  }

  /** Connects to vpcd (inserting the card); resolves once the TCP connection is up. */
  static insert(address: VpcdAddress, options: VirtualCardOptions): Promise<VirtualCard> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: address.host ?? '127.0.0.1', port: address.port });
      socket.setNoDelay(true);
      const onError = (error: Error): void => {
        reject(new Error(`virtual card could not reach vpcd on port ${address.port}: ${error.message}`));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(new VirtualCard(socket, options));
      });
    });
  }

  /** Whether the socket has closed (the card is out of the reader). */
  get removed(): boolean {
    return this.isClosed;
  }

  /** Replaces the transport faults for the APDUs still to come. */
  setFaults(faults: VirtualCardFaults): void {
    this.faults = pickFaults(faults);
  }

  /** Removes the card: closes the socket and resolves once it is closed. */
  async remove(): Promise<void> {
    this.socket.destroy();
    await this.closed;
  }

  private async handle(message: VpcdMessage): Promise<void> {
    if (this.isClosed) return;
    if (message.kind === 'control') {
      this.handleControl(message.code);
      return;
    }
    await this.handleApdu(message.command);
  }

  private handleControl(code: number): void {
    this.controlLog.push({ code, at: process.hrtime.bigint() });
    switch (code) {
      case VpcdControl.getAtr:
        this.send(this.behaviour.atr);
        if (this.powerOnSeen) this.markPoweredUp();
        return;
      case VpcdControl.powerOn:
        this.powerOnSeen = true;
        this.behaviour.reset();
        return;
      case VpcdControl.powerOff:
      case VpcdControl.reset:
        this.behaviour.reset();
        return;
      default:
        // Unknown control codes get no answer, as vpcd expects none for codes it does not define.
        return;
    }
  }

  private async handleApdu(command: Uint8Array): Promise<void> {
    const at = process.hrtime.bigint();
    const index = this.apduCount++;
    const { removeAfterApdus, neverAnswer, delayMs } = this.faults;
    if (removeAfterApdus !== undefined && index >= removeAfterApdus) {
      this.apduLog.push({ command: toHex(command), response: undefined, at, answeredAt: undefined });
      this.socket.destroy();
      return;
    }
    const silent = neverAnswer === true || (typeof neverAnswer === 'number' && index >= neverAnswer);
    if (silent) {
      this.apduLog.push({ command: toHex(command), response: undefined, at, answeredAt: undefined });
      return;
    }
    const response = this.behaviour.respond(command);
    if (delayMs !== undefined && delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    if (this.isClosed) {
      this.apduLog.push({ command: toHex(command), response: undefined, at, answeredAt: undefined });
      return;
    }
    this.send(response);
    this.apduLog.push({ command: toHex(command), response: toHex(response), at, answeredAt: process.hrtime.bigint() });
  }

  private send(payload: Uint8Array): void {
    this.socket.write(encodeVpcdFrame(payload));
  }
}

function pickFaults(options: VirtualCardFaults): VirtualCardFaults {
  const faults: { -readonly [K in keyof VirtualCardFaults]: VirtualCardFaults[K] } = {};
  if (options.delayMs !== undefined) faults.delayMs = options.delayMs;
  if (options.neverAnswer !== undefined) faults.neverAnswer = options.neverAnswer;
  if (options.removeAfterApdus !== undefined) faults.removeAfterApdus = options.removeAfterApdus;
  return faults;
}
