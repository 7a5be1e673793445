/**
 * The page-world end of the private channel to the content script: numbered requests, replies
 * matched by id and checked against the protocol map, card events for the API. Page scripts only
 * see the promises; they never hold a port.
 */
import { checkIncoming, MAX_REQUEST_ID, settleResponse, toPageEnvelopeSchema, type AwaitedCall, type RequestEnvelope } from '../shared/envelope';
import { ExtensionErrorCode } from '../shared/extension-error-codes';
import { ExtensionError } from '../shared/extension-error';
import type { CardEvent, PageCallableMethod, ParamsOf, ResultOf } from '../shared/page-methods';

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

interface Pending extends AwaitedCall {
  readonly envelope: RequestEnvelope;
  notReadyTimer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Opens the channel and offers it to the content script. If the content script starts after our
 * offer, it announces itself and gets a fresh channel. Requests wait in memory until a channel is
 * taken, so none is written to a port nobody holds.
 */
export function openPageBridge(transport: HandshakeTransport, readyTimeoutMs = RELAY_READY_TIMEOUT_MS): PageBridge {
  const pending = new Map<number, Pending>();
  const eventListeners: ((event: CardEvent) => void)[] = [];
  let active: MessagePort | undefined;
  let nextId = 1;

  function offerChannel(): void {
    const channel = new MessageChannel();
    const port = channel.port1;
    port.onmessage = (message: MessageEvent) => {
      receive(message.data);
    };
    if (transport.offer(channel.port2)) {
      activate(port);
      return;
    }
    port.close();
    channel.port2.close();
  }

  function receive(data: unknown): void {
    const checked = checkIncoming(toPageEnvelopeSchema, data);
    if (!checked.ok) return; // Nothing to attribute it to; our content script never sends these.
    const message = checked.value;
    if (message.kind === 'ready') return; // The hand-over already told us.
    if (message.kind === 'event') {
      for (const listener of eventListeners) listener(message.event);
      return;
    }
    const request = pending.get(message.id);
    if (request === undefined) return;
    pending.delete(message.id);
    settleResponse(request, request.envelope.method, message);
  }

  function activate(port: MessagePort): void {
    active = port;
    for (const request of pending.values()) {
      if (request.notReadyTimer !== undefined) clearTimeout(request.notReadyTimer);
      request.notReadyTimer = undefined;
      port.postMessage(request.envelope);
    }
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
      return new Promise<ResultOf<M>>((resolve, reject) => {
        const id = allocateId();
        const envelope = { kind: 'request', id, method, params } as RequestEnvelope;
        const request: Pending = { envelope, resolve: resolve as (value: unknown) => void, reject, notReadyTimer: undefined };
        pending.set(id, request);
        if (active !== undefined) {
          active.postMessage(envelope);
          return;
        }
        request.notReadyTimer = setTimeout(() => {
          pending.delete(id);
          reject(new ExtensionError(ExtensionErrorCode.ExtensionUnavailable, 'the NHI Card Bridge extension did not answer; reload the page'));
        }, readyTimeoutMs);
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
    call: () => Promise.reject(new ExtensionError(code, message)),
    onEvent: () => undefined,
  };
}
