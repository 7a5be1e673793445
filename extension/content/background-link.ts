/**
 * The content script's runtime port to the background: numbered requests, replies matched by id,
 * events passed on. The port is opened lazily and again after the background restarts (MV3
 * service workers come and go); an open event subscription is renewed. What arrives here comes
 * from our own background, which checked each result against the protocol map before sending it
 * (only the extension can post on this port), so it is read, not validated again.
 */
import { NhiCardError } from '../../native-host/protocol/nhi-card-error';
import { settleArriving, type RequestEnvelope } from '../shared/page-envelopes';
import type { CardEvent, PageMethod, ParamsOf, ResultOf } from '../shared/page-methods';
import { createRequestCore } from '../shared/request-core';

/** The part of runtime.Port the link uses (a fake in tests). */
export interface RuntimePortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/** The name content scripts connect with; the background serves only this name. */
export const PAGE_PORT_NAME = 'nhi-card-page';

export interface BackgroundLink {
  call<M extends PageMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  onEvent(listener: (event: CardEvent) => void): void;
}

/** `connect` opens a new port (runtime.connect in the browser); it may throw once the extension is gone. */
export function createBackgroundLink(connect: () => RuntimePortLike): BackgroundLink {
  // No timeouts on this hop: the background answers every request, or the port drops.
  const requests = createRequestCore<undefined>();
  const eventListeners: ((event: CardEvent) => void)[] = [];
  let port: RuntimePortLike | undefined;
  let subscribed = false;

  function ensurePort(): RuntimePortLike {
    if (port !== undefined) return port;
    let opened: RuntimePortLike;
    try {
      opened = connect();
    } catch (error) {
      throw new NhiCardError('EXTENSION_UNAVAILABLE', 'the extension was updated or disabled; reload the page', { cause: error });
    }
    opened.onMessage.addListener((message) => {
      settleArriving(message, requests, eventListeners);
    });
    opened.onDisconnect.addListener(() => {
      if (port === opened) port = undefined;
      requests.rejectAll(new NhiCardError('EXTENSION_UNAVAILABLE', 'the extension restarted during the request; try again'));
      if (subscribed) resubscribe();
    });
    port = opened;
    return opened;
  }

  function resubscribe(): void {
    send('subscribe', {}).catch(() => {
      subscribed = false; // The extension is gone; nothing left to renew.
    });
  }

  function send<M extends PageMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const target = ensurePort();
      const id = requests.nextId();
      requests.add(id, undefined, resolve as (value: unknown) => void, reject);
      const envelope = { kind: 'request', id, method, params } as RequestEnvelope;
      try {
        target.postMessage(envelope);
      } catch (error) {
        requests.take(id);
        port = undefined;
        reject(new NhiCardError('EXTENSION_UNAVAILABLE', 'the extension is not reachable; reload the page', { cause: error }));
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
