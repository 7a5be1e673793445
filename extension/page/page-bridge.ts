/**
 * The page-world end of the private channel to the content script: numbered requests, replies
 * matched by id, card events for the API. Page scripts only see the promises; they never hold a
 * port. Every built-in it calls after start-up is a copy taken before any page script ran
 * (./page-natives), and it carries no schema library: the background checks each result
 * against the protocol map before it leaves, and only our content script holds the other end.
 */
import type { ExtensionErrorCode } from '../shared/extension-error-codes';
import { ExtensionError, type WireError } from '../shared/extension-error';
import type { PageCallableMethod } from '../shared/page-method-names';
import type { ArrivingEnvelope } from '../shared/page-envelopes';
import type { CardEvent, ParamsOf, ResultOf } from '../shared/page-methods';
import { bareObject } from './page-natives';
import * as natives from './page-natives';

/** How long a request waits for the content script to pick up the channel before giving up. */
export const RELAY_READY_TIMEOUT_MS = 5000;
/** Request ids wrap here, as on every hop (shared/page-envelopes.ts MAX_REQUEST_ID). */
const MAX_REQUEST_ID = 2 ** 31 - 1;

/** How a channel end reaches the content script (a synchronous DOM event in the browser). */
export interface HandshakeTransport {
  /** Offers the content script its end of a fresh channel; true when it took it, synchronously. */
  offer(port: MessagePort): boolean;
  /** Calls back when the content script announces it started after our offer went unanswered. */
  onRelayReady(callback: () => void): void;
}

export interface PageBridge {
  /** Calls a page method; rejects with an error carrying a stable `code`. */
  call<M extends PageCallableMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Receives card and reader events (after a `subscribe` call). */
  onEvent(listener: (event: CardEvent) => void): void;
}

interface Pending {
  readonly envelope: object;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  notReadyTimer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Opens the channel and offers it to the content script. If the content script starts after our
 * offer, it announces itself and gets a fresh channel. Requests wait in memory until a channel is
 * taken, so none is written to a port nobody holds.
 */
export function openPageBridge(transport: HandshakeTransport, readyTimeoutMs = RELAY_READY_TIMEOUT_MS): PageBridge {
  // Read and written only through native copies, so a replaced Map.prototype never sees a request.
  const pending = new natives.NativeMap() as Map<number, Pending>;
  const eventListeners: ((event: CardEvent) => void)[] = [];
  let active: MessagePort | undefined;
  let nextId = 1;

  function offerChannel(): void {
    const channel = new natives.NativeMessageChannel();
    const port = channel.port1;
    natives.setPortOnMessage(port, (message: MessageEvent) => {
      receive(natives.messageData(message));
    });
    if (transport.offer(channel.port2)) {
      activate(port);
      return;
    }
    natives.portClose(port);
    natives.portClose(channel.port2);
  }

  function receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const message = data as ArrivingEnvelope;
    if (message.kind === 'event') {
      const event = message.event;
      if (event === undefined) return;
      for (const listener of eventListeners) listener(event);
      return;
    }
    if (message.kind !== 'response' || typeof message.id !== 'number') return; // 'ready': the hand-over already told us.
    const request = natives.mapGet(pending, message.id) as Pending | undefined;
    if (request === undefined) return;
    natives.mapDelete(pending, message.id);
    if (message.ok === true) request.resolve(message.value);
    else request.reject(errorFrom(message.error));
  }

  function activate(port: MessagePort): void {
    active = port;
    natives.mapForEach(pending, (value) => {
      const request = value as Pending;
      if (request.notReadyTimer !== undefined) natives.clearTimeout(request.notReadyTimer);
      request.notReadyTimer = undefined;
      natives.portPostMessage(port, request.envelope);
    });
  }

  function allocateId(): number {
    const id = nextId;
    nextId = nextId >= MAX_REQUEST_ID ? 1 : nextId + 1;
    return id;
  }

  transport.onRelayReady(() => {
    if (active === undefined) offerChannel();
  });
  offerChannel();

  return {
    call<M extends PageCallableMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      return new natives.NativePromise<ResultOf<M>>((resolve, reject) => {
        const id = allocateId();
        const envelope = bareObject({ kind: 'request', id, method, params });
        const request: Pending = { envelope, resolve: resolve as (value: unknown) => void, reject, notReadyTimer: undefined };
        natives.mapSet(pending, id, request);
        if (active !== undefined) {
          natives.portPostMessage(active, envelope);
          return;
        }
        request.notReadyTimer = natives.setTimeout(() => {
          natives.mapDelete(pending, id);
          reject(new ExtensionError('EXTENSION_UNAVAILABLE', 'the NHI Card Bridge extension did not answer; reload the page'));
        }, readyTimeoutMs);
      });
    },
    onEvent(listener) {
      eventListeners.push(listener);
    },
  };
}

/** The page's error for a wire error from our content script (already checked there). */
function errorFrom(wire: WireError | undefined): ExtensionError {
  if (wire === undefined) return new ExtensionError('EXTENSION_UNAVAILABLE', 'the extension sent a malformed reply; reload the page');
  return new ExtensionError(wire.code, wire.message);
}

/** A bridge for frames the extension will not serve: every call fails at once with `code`. */
export function refusingBridge(code: ExtensionErrorCode, message: string): PageBridge {
  return {
    // A new promise, not Promise.reject: a page script may have replaced that static method.
    call: () =>
      new natives.NativePromise((_resolve, reject) => {
        reject(new ExtensionError(code, message));
      }),
    onEvent: () => undefined,
  };
}
