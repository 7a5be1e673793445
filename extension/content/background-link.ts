/**
 * The content script's runtime port to the background: numbered requests, replies matched by id,
 * events passed on. The port is opened lazily and again after the background restarts (MV3
 * service workers come and go); an open event subscription is renewed. What arrives here comes
 * from our own background, which checked each result against the protocol map before sending it
 * (only the extension can post on this port), so it is read, not validated again.
 */
import { ExtensionError, type WireError } from '../shared/extension-error';
import { MAX_REQUEST_ID, type ArrivingEnvelope, type RequestEnvelope } from '../shared/page-envelopes';
import type { CardEvent, PageMethod, ParamsOf, ResultOf } from '../shared/page-methods';

/** The part of runtime.Port the link uses (a fake in tests). */
export interface RuntimePortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/** The name content scripts connect with; the background serves only this name. */
export const PAGE_PORT_NAME = 'nhi-card-page';

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

export interface BackgroundLink {
  call<M extends PageMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  onEvent(listener: (event: CardEvent) => void): void;
}

/** `connect` opens a new port (runtime.connect in the browser); it may throw once the extension is gone. */
export function createBackgroundLink(connect: () => RuntimePortLike): BackgroundLink {
  const pending = new Map<number, Pending>();
  const eventListeners: ((event: CardEvent) => void)[] = [];
  let port: RuntimePortLike | undefined;
  let subscribed = false;
  let nextId = 1;

  function ensurePort(): RuntimePortLike {
    if (port !== undefined) return port;
    let opened: RuntimePortLike;
    try {
      opened = connect();
    } catch (error) {
      throw new ExtensionError('EXTENSION_UNAVAILABLE', 'the extension was updated or disabled; reload the page', { cause: error });
    }
    opened.onMessage.addListener((message) => {
      receive(message);
    });
    opened.onDisconnect.addListener(() => {
      if (port === opened) port = undefined;
      failPending();
      if (subscribed) resubscribe();
    });
    port = opened;
    return opened;
  }

  function failPending(): void {
    const waiting = [...pending.values()];
    pending.clear();
    for (const request of waiting) {
      request.reject(new ExtensionError('EXTENSION_UNAVAILABLE', 'the extension restarted during the request; try again'));
    }
  }

  function resubscribe(): void {
    send('subscribe', {}).catch(() => {
      subscribed = false; // The extension is gone; nothing left to renew.
    });
  }

  function receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const message = data as ArrivingEnvelope;
    if (message.kind === 'event') {
      const event = message.event;
      if (event !== undefined) for (const listener of eventListeners) listener(event);
      return;
    }
    if (message.kind !== 'response' || typeof message.id !== 'number') return;
    const request = pending.get(message.id);
    if (request === undefined) return;
    pending.delete(message.id);
    if (message.ok === true) request.resolve(message.value);
    else request.reject(errorFrom(message.error));
  }

  function send<M extends PageMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const target = ensurePort();
      const id = nextId;
      nextId = nextId >= MAX_REQUEST_ID ? 1 : nextId + 1;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const envelope = { kind: 'request', id, method, params } as RequestEnvelope;
      try {
        target.postMessage(envelope);
      } catch (error) {
        pending.delete(id);
        port = undefined;
        reject(new ExtensionError('EXTENSION_UNAVAILABLE', 'the extension is not reachable; reload the page', { cause: error }));
      }
    });
  }

  return {
    call(method, params) {
      if (method === 'subscribe') subscribed = true;
      if (method === 'unsubscribe') subscribed = false;
      return send(method, params);
    },
    onEvent(listener) {
      eventListeners.push(listener);
    },
  };
}

/** The error a failed response carries, as the background wrote it (toWireError). */
function errorFrom(wire: WireError | undefined): ExtensionError {
  if (wire === undefined) return new ExtensionError('EXTENSION_UNAVAILABLE', 'the extension sent a malformed reply; reload the page');
  return new ExtensionError(wire.code, wire.message);
}
