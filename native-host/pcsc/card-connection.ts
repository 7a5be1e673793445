import { Buffer } from 'node:buffer';
import { CardMemo } from '../card/card-memo';
import type { CardSession } from '../card/card-session';
import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import type { BindingReader } from './pcsclite-binding';
import { toNhiCardError } from './pcsc-error';

/** Largest answer we accept: 256 data bytes + SW1 SW2 (short APDUs only). */
const MAX_RESPONSE_LENGTH = 258;

/**
 * A SHARED connection to the card in one reader, kept open between commands. Every exchange has
 * a timeout; once an exchange fails the connection is `broken` and the owner opens a new one.
 */
export class CardConnection implements CardSession {
  /** What this card already told us: a connection lasts no longer than one insertion, and neither does this. */
  readonly memo = new CardMemo();
  private brokenFlag = false;
  /** The binding's transmit still running after we gave up on it (a card that never answers). */
  private hungExchange: Promise<void> | undefined;

  private constructor(
    private readonly reader: BindingReader,
    private readonly protocol: number,
    private readonly timeoutMs: number,
  ) {}

  /** Connects in SHARED mode so other applications can use the reader too. */
  static async open(reader: BindingReader, timeoutMs: number): Promise<CardConnection> {
    // The binding skips connect (and reports no protocol) while it believes it is connected.
    if (reader.connected) await new Promise<void>((resolve) => { reader.disconnect(reader.SCARD_LEAVE_CARD, () => { resolve(); }); });
    return new Promise((resolve, reject) => {
      reader.connect(
        { share_mode: reader.SCARD_SHARE_SHARED, protocol: reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1 },
        (error, protocol) => {
          if (error !== undefined && error !== null) reject(toNhiCardError(error, 'connect'));
          else resolve(new CardConnection(reader, protocol, timeoutMs));
        },
      );
    });
  }

  /** True once an exchange failed or close() began; the card must be reconnected before further use. */
  get broken(): boolean {
    return this.brokenFlag;
  }

  /** True while an abandoned exchange is still blocking the reader. */
  get hung(): boolean {
    return this.hungExchange !== undefined;
  }

  transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.brokenFlag) {
      return Promise.reject(new NhiCardError(ErrorCode.CardRemoved, 'the card connection was lost: insert the card again'));
    }
    return new Promise((resolve, reject) => {
      let finished = false;
      const timer = setTimeout(() => {
        finished = true;
        this.brokenFlag = true;
        this.hungExchange = exchange;
        reject(new NhiCardError(ErrorCode.CardTimeout, `the card did not answer within ${this.timeoutMs} ms: remove it and insert it again`));
      }, this.timeoutMs);
      const exchange = new Promise<void>((settled) => {
        this.reader.transmit(Buffer.from(command), MAX_RESPONSE_LENGTH, this.protocol, (error, response) => {
          settled();
          if (this.hungExchange === exchange) this.hungExchange = undefined;
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          if (error !== undefined && error !== null) {
            this.brokenFlag = true;
            reject(toNhiCardError(error, 'transmit'));
          } else if (response.length < 2) {
            // A card pulled mid-exchange makes the binding "succeed" with an empty answer.
            this.brokenFlag = true;
            reject(new NhiCardError(ErrorCode.CardRemoved, 'the card stopped answering: it may have been removed'));
          } else {
            resolve(new Uint8Array(response));
          }
        });
      });
    });
  }

  /**
   * Disconnects without powering the card down, so the next connection is quick. Waits for an
   * abandoned exchange first: the binding would block on it anyway.
   */
  async close(): Promise<void> {
    // A command still holding this connection (waiting between two APDUs, e.g. for the SAM service)
    // must get CARD_REMOVED, not reach a handle that is being disconnected.
    this.brokenFlag = true;
    await this.hungExchange;
    await new Promise<void>((resolve) => {
      if (!this.reader.connected) {
        resolve();
        return;
      }
      this.reader.disconnect(this.reader.SCARD_LEAVE_CARD, () => {
        resolve();
      });
    });
  }
}
