/**
 * A strict, scripted PC/SC binding for unit tests of pcsc/: the `PcscBinding` seam, with readers
 * the test plugs in and cards it inserts and removes. Each inserted card plays a ScriptedSession,
 * so every APDU is checked in order. Callbacks and the first enumeration arrive on a later loop
 * turn, as they do from the real binding; status events for a test's insert/remove arrive at once.
 *
 * Anything a correct caller never does fails loudly with a BindingMisuseError, thrown from the
 * call and remembered for `assertClean()`: a second context, connect with another share mode or
 * protocol, connect while connected, transmit or disconnect on a reader that is not connected,
 * two exchanges at once on one reader, disconnect during an exchange, any call on a closed reader.
 * A command the card's script did not expect is remembered the same way.
 *
 * @example
 * const binding = new ScriptedBinding();
 * const reader = binding.plug('Reader A', { atr: '3B 00', script: [{ expect: '00 A4 04 00', reply: '90 00' }] });
 * const service = createPcscReaderService({ binding });
 * ...
 * reader.card?.assertDone();
 * binding.assertClean();
 */
import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { fromHex, toHex } from '../../../native-host/card/hex';
import {
  SCARD_LEAVE_CARD,
  SCARD_PROTOCOL_T0,
  SCARD_PROTOCOL_T1,
  SCARD_SHARE_SHARED,
  SCARD_STATE_EMPTY,
  SCARD_STATE_PRESENT,
} from '../../../native-host/pcsc/ffi/pcsc-constants';
import { BindingReaderBase } from '../../../native-host/pcsc/ffi/binding-reader-base';
import type { BindingContext, BindingReader, PcscBinding } from '../../../native-host/pcsc/pcsclite-binding';
import { pcscCallError, PcscStatus } from '../../../native-host/pcsc/pcsc-error';
import { ScriptedSession, ScriptMismatchError, type ScriptStep } from './scripted-session';

/** A card to insert: its ATR (hex) and the APDU script it plays for this insertion. */
export interface FakeCard {
  readonly atr: string;
  readonly script: readonly ScriptStep[];
  /** The protocol connect reports; T=1 unless given. */
  readonly protocol?: number;
}

/** The code under test used the binding in a way a correct caller never does. */
export class BindingMisuseError extends Error {
  override readonly name = 'BindingMisuseError';
}

type ConnectionState = 'idle' | 'connecting' | 'connected' | 'disconnecting';

/** Calls and callbacks the binding has scheduled and not delivered yet. */
class Deliveries {
  private pending = 0;

  /** Runs `deliver` on a later loop turn, as the real binding's threads do. */
  later(deliver: () => void): void {
    this.pending++;
    setImmediate(() => {
      this.pending--;
      deliver();
    });
  }

  /** Resolves once nothing is scheduled, including what the deliveries' own reactions scheduled. */
  async idle(): Promise<void> {
    do await new Promise((resolve) => setImmediate(resolve));
    while (this.pending > 0);
  }
}

export class ScriptedBinding implements PcscBinding {
  /** Every call into the binding, in order: `connect Reader A`, `transmit Reader A 00 A4 ...`, `close context`. */
  readonly calls: string[] = [];
  private readonly plugged = new Map<string, ScriptedReader>();
  private readonly deliveries = new Deliveries();
  private context: ScriptedContext | undefined;
  private misuse: BindingMisuseError | undefined;

  open(onListed: () => void): BindingContext {
    this.calls.push('open context');
    if (this.context !== undefined) this.fail('a second context was opened; this fake serves one');
    const context = new ScriptedContext(this, onListed);
    this.context = context;
    // The caller attaches its listeners after open() returns: announce the readers after that.
    this.deliveries.later(() => {
      context.announce([...this.plugged.values()]);
    });
    return context;
  }

  /** Plugs in a reader, empty or holding `card`; an open context announces it. */
  plug(name: string, card?: FakeCard): ScriptedReader {
    if (this.plugged.has(name)) throw new Error(`reader ${name} is already plugged in`);
    const reader = new ScriptedReader(this, name, card);
    this.plugged.set(name, reader);
    const context = this.context;
    if (context?.enumerated === true) {
      this.deliveries.later(() => {
        context.announce([reader]);
      });
    }
    return reader;
  }

  /** Unplugs a reader: an exchange under way fails, and the reader reports its end. */
  unplug(name: string): void {
    const reader = this.plugged.get(name);
    if (reader === undefined) throw new Error(`reader ${name} is not plugged in`);
    this.plugged.delete(name);
    reader.unplugged();
  }

  /** True while a context is open (opened and not closed). */
  get contextOpen(): boolean {
    return this.context?.closed === false;
  }

  /** Resolves once every scheduled callback and event has been delivered. */
  idle(): Promise<void> {
    return this.deliveries.idle();
  }

  /** Throws the first misuse seen, even one the code under test caught and swallowed. */
  assertClean(): void {
    if (this.misuse) throw this.misuse;
  }

  /** @internal Schedules a callback of a reader or the context. */
  later(deliver: () => void): void {
    this.deliveries.later(deliver);
  }

  /** @internal Records a misuse and throws it. */
  fail(message: string): never {
    this.misuse ??= new BindingMisuseError(message);
    throw new BindingMisuseError(message);
  }

  /** @internal Records a script mismatch the binding passed on as a failed exchange. */
  recordMismatch(error: ScriptMismatchError): void {
    this.misuse ??= new BindingMisuseError(`the card's script was broken: ${error.message}`);
  }
}

class ScriptedContext extends EventEmitter implements BindingContext {
  closed = false;
  /** True once the first enumeration has been announced. */
  enumerated = false;

  constructor(
    private readonly binding: ScriptedBinding,
    private readonly onListed: () => void,
  ) {
    super();
  }

  /** Announces readers, says the list is complete, then reports each reader's state on a later turn. */
  announce(readers: readonly ScriptedReader[]): void {
    if (this.closed) return;
    this.enumerated = true;
    for (const reader of readers) this.emit('reader', reader);
    this.onListed();
    this.binding.later(() => {
      for (const reader of readers) reader.announced();
    });
  }

  close(): void {
    this.binding.calls.push('close context');
    if (this.closed) this.binding.fail('the context was closed twice');
    this.closed = true;
  }
}

/** One reader and whatever card is in it: the handle the code under test drives, and the test's controls. */
export class ScriptedReader extends BindingReaderBase implements BindingReader {
  private inserted: { readonly card: FakeCard; readonly session: ScriptedSession } | undefined;
  /** PC/SC's count of insertions and removals (the high word of the reader state). */
  private eventCount = 0;
  private state: ConnectionState = 'idle';
  private protocol = 0;
  /** The insertion the connection was made to: a card removed or swapped since is gone for it. */
  private connectedTo: number | undefined;
  /** Fails the exchange under way, if any (card or reader gone). */
  private abortExchange: ((error: Error) => void) | undefined;
  private reportsStatus = false;
  private closed = false;
  private isPlugged = true;

  constructor(
    private readonly binding: ScriptedBinding,
    readonly name: string,
    card: FakeCard | undefined,
  ) {
    super();
    if (card !== undefined) this.putIn(card);
  }

  /** The session of the card now inserted: check `sent`, call `assertDone()`. */
  get card(): ScriptedSession | undefined {
    return this.inserted?.session;
  }

  /** True from a successful connect until disconnect has called back (as the pcsclite binding keeps it). */
  get connected(): boolean {
    return this.state === 'connected' || this.state === 'disconnecting';
  }

  /** True while an exchange waits for the card's answer. */
  get exchanging(): boolean {
    return this.abortExchange !== undefined;
  }

  /** Inserts a card; the reader reports it at once. */
  insert(card: FakeCard): ScriptedSession {
    if (this.inserted !== undefined) throw new Error(`${this.name} already holds a card`);
    const session = this.putIn(card);
    this.report();
    return session;
  }

  /** Pulls the card out: an exchange under way fails as PC/SC fails it, and the reader reports it. */
  remove(): void {
    if (this.inserted === undefined) throw new Error(`${this.name} holds no card`);
    this.takeOut();
    this.report();
  }

  /** Pulls the card and inserts another before the reader reports: one status, two events later. */
  swap(card: FakeCard): ScriptedSession {
    if (this.inserted === undefined) throw new Error(`${this.name} holds no card`);
    this.takeOut();
    const session = this.putIn(card);
    this.report();
    return session;
  }

  connect(options: { share_mode: number; protocol: number }, callback: (error: unknown, protocol: number) => void): void {
    this.binding.calls.push(`connect ${this.name}`);
    this.checkOpen('connect');
    if (this.state !== 'idle') this.binding.fail(`connect on ${this.name} while ${this.state}`);
    if (options.share_mode !== SCARD_SHARE_SHARED) this.binding.fail(`connect on ${this.name} with share mode ${options.share_mode}, not SHARED`);
    if (options.protocol !== (SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1)) {
      this.binding.fail(`connect on ${this.name} with protocols ${options.protocol}, not T0|T1`);
    }
    this.state = 'connecting';
    this.binding.later(() => {
      const inserted = this.inserted;
      if (inserted === undefined || !this.isPlugged) {
        this.state = 'idle';
        callback(pcscCallError('SCardConnect', this.isPlugged ? PcscStatus.noSmartcard : PcscStatus.readerUnavailable), 0);
        return;
      }
      this.state = 'connected';
      this.protocol = inserted.card.protocol ?? SCARD_PROTOCOL_T1;
      this.connectedTo = this.eventCount;
      callback(undefined, this.protocol);
    });
  }

  disconnect(disposition: number, callback: (error: unknown) => void): void {
    this.binding.calls.push(`disconnect ${this.name}`);
    this.checkOpen('disconnect');
    if (this.state !== 'connected') this.binding.fail(`disconnect on ${this.name} while ${this.state}`);
    if (disposition !== SCARD_LEAVE_CARD) this.binding.fail(`disconnect on ${this.name} with disposition ${disposition}, not LEAVE_CARD`);
    if (this.exchanging) this.binding.fail(`disconnect on ${this.name} during an exchange`);
    this.state = 'disconnecting';
    this.binding.later(() => {
      this.state = 'idle';
      this.connectedTo = undefined;
      callback(undefined);
    });
  }

  transmit(data: Buffer, maxResponseLength: number, protocol: number, callback: (error: unknown, response: Buffer) => void): void {
    const command = toHex(data);
    this.binding.calls.push(`transmit ${this.name} ${command}`);
    this.checkOpen('transmit');
    if (this.state !== 'connected') this.binding.fail(`transmit ${command} on ${this.name} while ${this.state}`);
    if (this.exchanging) this.binding.fail(`transmit ${command} on ${this.name} while another exchange is under way`);
    if (protocol !== this.protocol) this.binding.fail(`transmit on ${this.name} with protocol ${protocol}, but connect gave ${this.protocol}`);
    if (maxResponseLength < 258) this.binding.fail(`transmit on ${this.name} allows only ${maxResponseLength} answer bytes`);
    let settled = false;
    // The reader counts as exchanging until the answer reaches the caller.
    const answer = (error: unknown, response: Buffer): void => {
      if (settled) return;
      settled = true;
      this.binding.later(() => {
        this.abortExchange = undefined;
        callback(error, response);
      });
    };
    this.abortExchange = (error) => {
      answer(error, Buffer.alloc(0));
    };
    const inserted = this.inserted;
    if (inserted === undefined || this.connectedTo !== this.eventCount) {
      answer(pcscCallError('SCardTransmit', PcscStatus.removedCard), Buffer.alloc(0));
      return;
    }
    inserted.session.transmit(new Uint8Array(data)).then(
      (response) => {
        answer(undefined, Buffer.from(response));
      },
      (error: unknown) => {
        if (error instanceof ScriptMismatchError) this.binding.recordMismatch(error);
        answer(error, Buffer.alloc(0));
      },
    );
  }

  close(): void {
    this.binding.calls.push(`close ${this.name}`);
    this.checkOpen('close');
    this.closed = true;
  }

  /** @internal The context announced this reader: from now on it reports its state. */
  announced(): void {
    this.reportsStatus = true;
    this.report();
  }

  /** @internal The reader was unplugged. */
  unplugged(): void {
    this.isPlugged = false;
    this.abortExchange?.(pcscCallError('SCardTransmit', PcscStatus.readerUnavailable));
    if (this.reportsStatus && !this.closed) this.emit('end');
  }

  private putIn(card: FakeCard): ScriptedSession {
    fromHex(card.atr);
    const session = new ScriptedSession(card.script);
    this.inserted = { card, session };
    this.eventCount++;
    return session;
  }

  private takeOut(): void {
    this.inserted = undefined;
    this.eventCount++;
    this.abortExchange?.(pcscCallError('SCardTransmit', PcscStatus.removedCard));
  }

  private report(): void {
    if (!this.reportsStatus || this.closed) return;
    const presence = this.inserted === undefined ? SCARD_STATE_EMPTY : SCARD_STATE_PRESENT;
    const atr = this.inserted === undefined ? Buffer.alloc(0) : Buffer.from(fromHex(this.inserted.card.atr));
    this.emit('status', { state: ((this.eventCount << 16) | presence) >>> 0, atr });
  }

  private checkOpen(call: string): void {
    if (this.closed) this.binding.fail(`${call} on ${this.name} after it was closed`);
  }
}
