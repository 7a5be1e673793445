/**
 * What was read from one inserted card, so that reading it again needs no APDUs. Whoever owns
 * the connection (pcsc/) gives every insertion a fresh memo and calls `forget()` on any removal,
 * re-insertion or lost connection: nothing here outlives the card it came from.
 */
import type { BasicRecord } from './basic-record.types';

/** The reads worth remembering: the identity record, and the termination flag GetBasic adds. */
export interface RememberedReads {
  readonly basicRecord: BasicRecord;
  readonly hcTerminationFlag: string;
}

export class CardMemo {
  #values: Partial<RememberedReads> = {};
  #forgotten = false;

  /** The remembered value, if the card already gave it. */
  peek<K extends keyof RememberedReads>(key: K): RememberedReads[K] | undefined {
    return this.#values[key];
  }

  /** The remembered value, or `read()`'s, which is kept unless the memo was forgotten meanwhile. */
  async remember<K extends keyof RememberedReads>(key: K, read: () => Promise<RememberedReads[K]>): Promise<RememberedReads[K]> {
    const known = this.#values[key];
    if (known !== undefined) return known;
    const value = await read();
    // A read that finished after the card was pulled answers its caller, but is not kept.
    if (!this.#forgotten) this.#values = { ...this.#values, [key]: value };
    return value;
  }

  /** Drops everything and keeps nothing from now on (the card is gone). */
  forget(): void {
    this.#forgotten = true;
    this.#values = {};
  }
}
