/**
 * The page-world end of the private channel to the content script: numbered requests, replies
 * matched by id, card events for the API. Page scripts only see the promises; they never hold a
 * port. Every built-in it calls after start-up is a copy taken before any page script ran
 * (./page-natives), and it carries no schema library: the background checks each result
 * against the protocol map before it leaves, and only our content script holds the other end.
 */
import type { ExtensionErrorCode } from '../../native-host/protocol/error-codes';
import { NhiCardError } from '../../native-host/protocol/nhi-card-error';
import type { PageCallableMethod } from '../shared/page-method-names';
import { settleArriving } from '../shared/page-envelopes';
import type { CardEvent, ParamsOf, ResultOf } from '../shared/page-methods';
import { createRequestCore } from '../shared/request-core';
import { bareObject } from './page-natives';
import * as natives from './page-natives';

/** How long a request waits for the content script to pick up the channel before giving up. */
export const RELAY_READY_TIMEOUT_MS = 5000;

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

/**
 * Opens the channel and offers it to the content script. If the content script starts after our
 * offer, it announces itself and gets a fresh channel. Requests wait in memory until a channel is
 * taken, so none is written to a port nobody holds.
 */
export function openPageBridge(transport: HandshakeTransport, readyTimeoutMs = RELAY_READY_TIMEOUT_MS): PageBridge {
  // Each pending request keeps its envelope until a channel is taken; until then its timeout runs.
  const requests = createRequestCore<object>({
    timeoutError: () => new NhiCardError('EXTENSION_UNAVAILABLE', 'the NHI Card Bridge extension did not answer; reload the page'),
    timers: { setTimeout: natives.setTimeout, clearTimeout: natives.clearTimeout },
  });
  const eventListeners: ((event: CardEvent) => void)[] = [];
  let active: MessagePort | undefined;

  function offerChannel(): void {
    const channel = new natives.NativeMessageChannel();
    const port = channel.port1;
    natives.setPortOnMessage(port, (message: MessageEvent) => {
      settleArriving(natives.messageData(message), requests, eventListeners);
    });
    if (transport.offer(channel.port2)) {
      activate(port);
      return;
    }
    natives.portClose(port);
    natives.portClose(channel.port2);
  }

  function activate(port: MessagePort): void {
    active = port;
    requests.flush((request) => {
      natives.portPostMessage(port, request.data);
    });
  }

  transport.onRelayReady(() => {
    if (active === undefined) offerChannel();
  });
  offerChannel();

  return {
    call<M extends PageCallableMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      return new natives.NativePromise<ResultOf<M>>((resolve, reject) => {
        const id = requests.nextId();
        const envelope = bareObject({ kind: 'request', id, method, params });
        requests.add(id, envelope, resolve as (value: unknown) => void, reject, active === undefined ? readyTimeoutMs : undefined);
        if (active !== undefined) natives.portPostMessage(active, envelope);
      });
    },
    onEvent(listener) {
      eventListeners.push(listener);
    },
  };
}

/** A bridge for frames the extension will not serve: every call fails at once with `code`. */
export function refusingBridge(code: ExtensionErrorCode, message: string): PageBridge {
  return {
    // A new promise, not Promise.reject: a page script may have replaced that static method.
    call: () =>
      new natives.NativePromise((_resolve, reject) => {
        reject(new NhiCardError(code, message));
      }),
    onEvent: () => undefined,
  };
}

/**
 * Whether a call failed because the extension refused the request itself, for its shape or size
 * (e.g. a legacy line too long), rather than because the extension or host went away. The legacy
 * socket and the HTTP API both answer such a request with the component's "unknown command" code.
 */
export function isRefusedRequest(error: unknown): boolean {
  return error instanceof NhiCardError && (error.code === 'INVALID_REQUEST' || error.code === 'FRAME_TOO_LARGE');
}
