/**
 * The only module that loads `pcsclite`. It narrows the binding's loose, callback-style API to
 * the few typed calls the adapter needs, so nothing else in the project sees `any`. The ffi
 * backend (ffi/) implements the same interfaces.
 */
import type pcscliteModule from 'pcsclite';
import { loadPackage } from './load-package';

/** Reader state bits and constants we use (values are pcsc-lite's). */
export interface ReaderConstants {
  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_EMPTY: number;
  readonly SCARD_LEAVE_CARD: number;
}

/** One reader as the binding exposes it. */
export interface BindingReader extends ReaderConstants {
  readonly name: string;
  readonly connected: boolean;
  on(event: 'status', listener: (status: { state: number; atr?: Buffer }) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: unknown) => void): this;
  removeAllListeners(): this;
  connect(options: { share_mode: number; protocol: number }, callback: (error: unknown, protocol: number) => void): void;
  disconnect(disposition: number, callback: (error: unknown) => void): void;
  transmit(data: Buffer, maxResponseLength: number, protocol: number, callback: (error: unknown, response: Buffer) => void): void;
  close(): void;
}

/** One PC/SC context with its reader discovery. */
export interface BindingContext {
  on(event: 'reader', listener: (reader: BindingReader) => void): this;
  on(event: 'error', listener: (error: unknown) => void): this;
  removeAllListeners(): this;
  close(): void;
}

/** What the rest of pcsc/ needs from the binding; tests may inject another implementation. */
export interface PcscBinding {
  /**
   * Establishes a context (throws when pcscd is unreachable). `onListed` runs after every reader
   * enumeration, so callers know when the initial list is complete even when it is empty.
   */
  open(onListed: () => void): BindingContext;
}

interface StartableContext extends BindingContext {
  start: (callback: (error: unknown, data: unknown) => void) => void;
  emit: (event: string | symbol, ...args: unknown[]) => boolean;
}

type NodeCallback<A extends unknown[]> = (...args: A) => void;

/**
 * The addon calls into JavaScript with `Nan::Call`, not `MakeCallback`, so Node does not run
 * `process.nextTick` callbacks and promise jobs when the call returns. Node 20 ran them on the
 * next loop turn anyway; Node 26 does not, and a promise resolved in a callback (every card
 * exchange) then waits for some unrelated timer. A queued immediate gives Node that loop turn.
 */
function queueDrain(): void {
  setImmediate(() => undefined);
}

function drainingCallback<A extends unknown[]>(callback: NodeCallback<A>): NodeCallback<A> {
  return (...args) => {
    try {
      callback(...args);
    } finally {
      queueDrain();
    }
  };
}

/** Events the addon raises (status, end, reader, error) get the same loop turn as callbacks. */
function drainAfterEmit(emitter: { emit: (event: string | symbol, ...args: unknown[]) => boolean }): void {
  const emit = emitter.emit.bind(emitter);
  emitter.emit = (event, ...args) => {
    try {
      return emit(event, ...args);
    } finally {
      queueDrain();
    }
  };
}

/** Routes every call from the addon into JavaScript for this reader through drainingCallback. */
function drainReader(reader: BindingReader & StartableContext): void {
  drainAfterEmit(reader);
  const connect = reader.connect.bind(reader);
  const disconnect = reader.disconnect.bind(reader);
  const transmit = reader.transmit.bind(reader);
  Object.assign(reader, {
    connect: (options: Parameters<BindingReader['connect']>[0], callback: Parameters<BindingReader['connect']>[1]) => {
      connect(options, drainingCallback(callback));
    },
    disconnect: (disposition: number, callback: Parameters<BindingReader['disconnect']>[1]) => {
      disconnect(disposition, drainingCallback(callback));
    },
    transmit: (data: Buffer, maxResponseLength: number, protocol: number, callback: Parameters<BindingReader['transmit']>[3]) => {
      transmit(data, maxResponseLength, protocol, drainingCallback(callback));
    },
  });
}

/** The real binding over libpcsclite. */
export const nativeBinding: PcscBinding = {
  open(onListed) {
    // Loaded on first use, so a build without the addon (Windows) can still start.
    const pcsclite = loadPackage('pcsclite') as typeof pcscliteModule;
    const context = pcsclite() as unknown as StartableContext;
    const emit = context.emit.bind(context);
    context.emit = (event, ...args) => {
      if (event === 'reader') drainReader(args[0] as BindingReader & StartableContext);
      return emit(event, ...args);
    };
    drainAfterEmit(context);
    // The binding starts enumeration on the next tick and never says when the first (possibly
    // empty) list is done; wrapping its start callback is the only way to learn that.
    const start = context.start.bind(context);
    context.start = (callback) => {
      start(
        drainingCallback((error: unknown, data: unknown) => {
          callback(error, data);
          if (error === undefined || error === null) onListed();
        }),
      );
    };
    return context;
  },
};
