/**
 * The background's one connection to the native host: start it, wait for its `hello` (with a
 * timeout), check the protocol version, then numbered requests with per-request timeouts. When
 * the host exits, pending requests reject with HOST_EXITED and the next request starts it again;
 * while anyone wants card events the connection is re-established by itself.
 */
import {
  hostMessageSchema,
  PROTOCOL_VERSION,
  resultSchemas,
  type Command,
  type HostEvent,
  type Request,
  type ResultOf,
} from '../../native-host/protocol/messages';
import { ExtensionErrorCode } from '../../native-host/protocol/error-codes';
import { NhiCardError, asNhiCardError, type WireError } from '../../native-host/protocol/nhi-card-error';
import { createRequestCore } from '../shared/request-core';
import { classifyDisconnect } from './host-disconnect';

/** A connection to the host (runtime.connectNative in the browser, a fake in tests). */
export interface HostPort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage(listener: (message: unknown) => void): void;
  /** `reason` is the browser's error text, when it gave one. */
  onDisconnect(listener: (reason: string | undefined) => void): void;
}

export interface HostHello {
  readonly host: string;
  readonly protocol: number;
}

export type CardHostEvent = Exclude<HostEvent, { event: 'hello' }>;

export type HostState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'ready'; readonly hello: HostHello }
  | { readonly kind: 'failed'; readonly error: WireError };

export interface NativeHostClientOptions {
  /** Opens a new connection; may throw (e.g. when nativeMessaging is not granted). */
  readonly connect: () => HostPort;
  /** How long the host may take to say hello. Spawning takes ~150 ms; slow disks take longer. */
  readonly helloTimeoutMs?: number;
  /** Per-command answer timeouts. */
  readonly timeoutsMs?: Partial<Record<Command, number>>;
  /** After HOST_NOT_FOUND, requests fail at once for this long instead of spawning again. */
  readonly notFoundHoldMs?: number;
  /** Delays between reconnect attempts while events are wanted; the last one repeats. */
  readonly reconnectDelaysMs?: readonly number[];
  readonly now?: () => number;
}

/** Card operations are fast; legacy H_Sign talks to the NHI SAM service over the network. */
export const DEFAULT_TIMEOUTS_MS: Record<Command, number> = {
  version: 5000,
  readers: 5000,
  readCard: 15_000,
  subscribe: 5000,
  unsubscribe: 5000,
  legacy: 30_000,
};

type ArgsOf<C extends Command> = Omit<Extract<Request, { command: C }>, 'id' | 'command'>;

interface Connection {
  readonly port: HostPort;
  readonly hello: Promise<HostHello>;
  helloInfo: HostHello | undefined;
  closed: boolean;
  /** Fails a hello still awaited when the connection closes. */
  closedHook?: (error: NhiCardError) => void;
}

export class NativeHostClient {
  readonly #options: Required<Omit<NativeHostClientOptions, 'timeoutsMs'>> & { timeoutsMs: Record<Command, number> };
  /** Each pending request keeps its command, to name it on timeout and check its result. */
  readonly #requests = createRequestCore<Command>({
    timeoutError: (command) => new NhiCardError(ExtensionErrorCode.HostTimeout, `the host did not answer ${command} in time`),
  });
  readonly #eventListeners: ((event: CardHostEvent) => void)[] = [];
  readonly #stateListeners: ((state: HostState) => void)[] = [];
  #connection: Connection | undefined;
  #state: HostState = { kind: 'idle' };
  #notFoundUntil = 0;
  #wantsEvents = false;
  /** True from the host's answer to `subscribe` until events stop being wanted or the connection ends. */
  #eventsLive = false;
  /** Counts subscribe and unsubscribe requests, so only the answer to the latest makes events live. */
  #subscription = 0;
  #reconnectAttempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: NativeHostClientOptions) {
    this.#options = {
      helloTimeoutMs: 5000,
      notFoundHoldMs: 2000,
      reconnectDelaysMs: [1000, 2000, 5000, 15_000, 30_000],
      now: () => Date.now(),
      ...options,
      timeoutsMs: { ...DEFAULT_TIMEOUTS_MS, ...options.timeoutsMs },
    };
  }

  /** The connection state, for status and diagnostics. */
  get state(): HostState {
    return this.#state;
  }

  onEvent(listener: (event: CardHostEvent) => void): void {
    this.#eventListeners.push(listener);
  }

  onStateChange(listener: (state: HostState) => void): void {
    this.#stateListeners.push(listener);
  }

  /**
   * True while the running host is subscribed: from then on, every card or reader change it sees
   * reaches the event listeners, in order with the answers.
   */
  get eventsLive(): boolean {
    return this.#eventsLive;
  }

  /** Resolves with the host's hello, starting the host when it is not running. */
  ready(): Promise<HostHello> {
    return this.#ensureConnection().hello;
  }

  /** Sends one request and resolves with its validated result. */
  async request<C extends Command>(command: C, args: ArgsOf<C>): Promise<ResultOf<C>> {
    const connection = this.#ensureConnection();
    await connection.hello;
    if (connection.closed) throw new NhiCardError(ExtensionErrorCode.HostExited, 'the NHI Card Bridge host exited');
    const id = `r${this.#requests.nextId()}`;
    return new Promise<ResultOf<C>>((resolve, reject) => {
      this.#requests.add(id, command, resolve as (value: unknown) => void, reject, this.#options.timeoutsMs[command]);
      try {
        connection.port.postMessage({ ...args, id, command });
      } catch (error) {
        this.#requests.take(id);
        reject(new NhiCardError(ExtensionErrorCode.HostExited, 'the NHI Card Bridge host is not connected', { cause: error }));
      }
    });
  }

  /**
   * Whether card events are wanted. While they are, the host is kept subscribed, and started
   * again after it exits.
   */
  setWantsEvents(wanted: boolean): void {
    if (wanted === this.#wantsEvents) return;
    this.#wantsEvents = wanted;
    this.#eventsLive = false;
    this.#subscription += 1;
    if (wanted) {
      // A running host is subscribed now; a starting one is subscribed by its hello.
      if (this.#state.kind === 'ready') this.#sendSubscribe();
      else this.#startForEvents();
      return;
    }
    if (this.#reconnectTimer !== undefined) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    if (this.#state.kind === 'ready') this.request('unsubscribe', {}).catch(() => undefined);
  }

  #startForEvents(): void {
    this.ready().catch(() => {
      this.#scheduleReconnect();
    });
  }

  #sendSubscribe(): void {
    const connection = this.#connection;
    const subscription = ++this.#subscription;
    this.request('subscribe', {}).then(
      () => {
        const current = subscription === this.#subscription && this.#connection === connection && connection?.closed === false;
        if (current && this.#wantsEvents) this.#eventsLive = true;
      },
      () => undefined, // A failure here is a closed connection, which reconnects.
    );
  }

  #scheduleReconnect(): void {
    if (!this.#wantsEvents || this.#reconnectTimer !== undefined) return;
    const delays = this.#options.reconnectDelaysMs;
    const delay = delays[Math.min(this.#reconnectAttempt, delays.length - 1)] ?? 30_000;
    this.#reconnectAttempt += 1;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#wantsEvents) this.#startForEvents();
    }, delay);
  }

  #setState(state: HostState): void {
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }

  #ensureConnection(): Connection {
    if (this.#connection !== undefined && !this.#connection.closed) return this.#connection;
    if (this.#state.kind === 'failed' && this.#state.error.code === ExtensionErrorCode.HostNotFound && this.#options.now() < this.#notFoundUntil) {
      const failed: Connection = { port: inertPort, hello: Promise.reject(new NhiCardError(this.#state.error.code, this.#state.error.message)), helloInfo: undefined, closed: true };
      failed.hello.catch(() => undefined);
      return failed;
    }
    return this.#connect();
  }

  #connect(): Connection {
    this.#setState({ kind: 'starting' });
    let port: HostPort;
    try {
      port = this.#options.connect();
    } catch (error) {
      const failure = new NhiCardError(ExtensionErrorCode.HostNotFound, `cannot start the NHI Card Bridge host: ${error instanceof Error ? error.message : String(error)}`);
      this.#notFoundUntil = this.#options.now() + this.#options.notFoundHoldMs;
      this.#setState({ kind: 'failed', error: failure.toWire() });
      const failed: Connection = { port: inertPort, hello: Promise.reject(failure), helloInfo: undefined, closed: true };
      failed.hello.catch(() => undefined);
      return failed;
    }

    let settleHello: { resolve: (hello: HostHello) => void; reject: (error: NhiCardError) => void } | undefined;
    const hello = new Promise<HostHello>((resolve, reject) => {
      settleHello = { resolve, reject };
    });
    hello.catch(() => undefined); // Callers observe it; an unobserved failure is not an error.
    const connection: Connection = { port, hello, helloInfo: undefined, closed: false };
    this.#connection = connection;

    const helloTimer = setTimeout(() => {
      const error = new NhiCardError(ExtensionErrorCode.HostTimeout, `the host did not start within ${this.#options.helloTimeoutMs} ms`);
      port.disconnect();
      this.#closed(connection, error);
    }, this.#options.helloTimeoutMs);

    const failHello = (error: NhiCardError) => {
      clearTimeout(helloTimer);
      settleHello?.reject(error);
      settleHello = undefined;
    };
    connection.closedHook = failHello;

    port.onMessage((message) => {
      if (connection.closed) return;
      if (connection.helloInfo === undefined) {
        const greeting = parseHello(message);
        if (greeting instanceof NhiCardError) {
          port.disconnect();
          this.#closed(connection, greeting);
          return;
        }
        clearTimeout(helloTimer);
        connection.helloInfo = greeting;
        this.#reconnectAttempt = 0;
        this.#setState({ kind: 'ready', hello: greeting });
        settleHello?.resolve(greeting);
        settleHello = undefined;
        // A new host knows nothing of an earlier subscription.
        if (this.#wantsEvents) this.#sendSubscribe();
        return;
      }
      this.#receive(message);
    });
    port.onDisconnect((reason) => {
      if (connection.closed) return;
      this.#closed(connection, classifyDisconnect(reason, connection.helloInfo !== undefined));
    });
    return connection;
  }

  #receive(message: unknown): void {
    const parsed = hostMessageSchema.safeParse(message);
    if (!parsed.success) {
      this.#rejectMalformed(message);
      return;
    }
    const value = parsed.data;
    if ('event' in value) {
      if (value.event === 'hello') return;
      for (const listener of this.#eventListeners) listener(value);
      return;
    }
    if (value.id === null) return; // The host could not read one of our requests; its timeout reports it.
    const request = this.#requests.take(value.id);
    if (request === undefined) return; // Answered after its timeout, or twice.
    if ('error' in value) {
      request.reject(new NhiCardError(value.error.code, value.error.message));
      return;
    }
    const result = resultSchemas[request.data].safeParse(value.result);
    if (!result.success) {
      request.reject(new NhiCardError(ExtensionErrorCode.HostProtocolError, `the host sent a malformed ${request.data} result`));
      return;
    }
    request.resolve(result.data);
  }

  /** A message that breaks the contract fails the request it names, if it names one. */
  #rejectMalformed(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const id = (message as Record<string, unknown>).id;
    if (typeof id !== 'string') return;
    this.#requests.take(id)?.reject(new NhiCardError(ExtensionErrorCode.HostProtocolError, 'the host sent a message that breaks the protocol'));
  }

  #closed(connection: Connection, error: NhiCardError): void {
    if (connection.closed) return;
    connection.closed = true;
    this.#eventsLive = false;
    connection.closedHook?.(error);
    if (this.#connection === connection) this.#connection = undefined;
    const wasReady = connection.helloInfo !== undefined;
    const failure = wasReady && error.code !== ExtensionErrorCode.HostNotFound ? new NhiCardError(ExtensionErrorCode.HostExited, error.message) : error;
    this.#requests.rejectAll(failure);
    if (failure.code === ExtensionErrorCode.HostNotFound) this.#notFoundUntil = this.#options.now() + this.#options.notFoundHoldMs;
    this.#setState(wasReady ? { kind: 'idle' } : { kind: 'failed', error: asNhiCardError(failure).toWire() });
    this.#scheduleReconnect();
  }
}

/** Stands in for a port that never opened. */
const inertPort: HostPort = {
  postMessage: () => undefined,
  disconnect: () => undefined,
  onMessage: () => undefined,
  onDisconnect: () => undefined,
};

/** The host's greeting, or the error that makes the connection unusable. */
function parseHello(message: unknown): HostHello | NhiCardError {
  const parsed = hostMessageSchema.safeParse(message);
  if (!parsed.success || !('event' in parsed.data) || parsed.data.event !== 'hello') {
    return new NhiCardError(ExtensionErrorCode.HostProtocolError, 'the host did not start with hello');
  }
  const { host, protocol } = parsed.data;
  if (protocol !== PROTOCOL_VERSION) {
    return new NhiCardError(
      ExtensionErrorCode.HostIncompatible,
      `the host speaks protocol ${protocol}, the extension ${PROTOCOL_VERSION}; update ${protocol < PROTOCOL_VERSION ? 'the host (nhi-card)' : 'the extension'}`,
    );
  }
  return { host: host.slice(0, 64), protocol };
}
