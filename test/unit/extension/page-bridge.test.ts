import { afterEach, describe, expect, it } from 'vitest';
import { openPageBridge, type HandshakeTransport } from '../../../extension/page/page-bridge';
import { NhiCardApi } from '../../../extension/page/nhi-card-api';
import { servePage } from '../../../extension/content/page-relay';
import type { BackgroundLink } from '../../../extension/content/background-link';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import type { CardEvent, PageMethod, ResultOf } from '../../../extension/shared/page-methods';

const identity = { cardNumber: '000012345678', name: '陳大明', idNumber: 'A123456789', birthDate: '1980-01-02', sex: 'M' as const, issueDate: '2015-03-04', reader: 'R' };

/** A background that answers from a table, and can push events. */
function scriptedLink(answers: Partial<Record<PageMethod, unknown>>) {
  let emit: (event: CardEvent) => void = () => undefined;
  const calls: string[] = [];
  const link: BackgroundLink = {
    call<M extends PageMethod>(method: M): Promise<ResultOf<M>> {
      calls.push(method);
      const answer = answers[method];
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve(answer as ResultOf<M>);
    },
    onEvent: (listener) => {
      emit = listener;
    },
  };
  return { link, calls, emit: (event: CardEvent) => { emit(event); } };
}

const openPorts: MessagePort[] = [];
afterEach(() => {
  for (const port of openPorts.splice(0)) port.close();
});

/** A transport whose offers the content script picks up, unless told to miss the first one. */
function transportTo(link: BackgroundLink, options: { missFirstOffer?: boolean } = {}) {
  let relayReady: () => void = () => undefined;
  let offers = 0;
  const transport: HandshakeTransport = {
    offer(port) {
      openPorts.push(port);
      offers += 1;
      if (options.missFirstOffer === true && offers === 1) return false; // The content script was not listening yet.
      servePage(port, link, true);
      return true;
    },
    onRelayReady(callback) {
      relayReady = callback;
    },
  };
  return { transport, announceRelay: () => { relayReady(); }, offers: () => offers };
}

describe('page <-> content script over the private channel', () => {
  it('reads the card through window.nhiCard', async () => {
    const { link } = scriptedLink({ readCard: identity });
    const api = new NhiCardApi(openPageBridge(transportTo(link).transport));
    await expect(api.readCard()).resolves.toEqual(identity);
  });

  it('rejects with an Error carrying the stable code', async () => {
    const { link } = scriptedLink({ readCard: new NhiCardError('CONSENT_DENIED', 'the user said no') });
    const api = new NhiCardApi(openPageBridge(transportTo(link).transport));
    const error = await api.readCard().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'NhiCardError', code: 'CONSENT_DENIED', message: 'the user said no' });
  });

  it('hands the page what the background answered, checked there and not again', async () => {
    const { link } = scriptedLink({ legacy: { reply: 'GetVersion:1.0' } });
    const bridge = openPageBridge(transportTo(link).transport);
    await expect(bridge.call('legacy', { line: 'GetVersion' })).resolves.toEqual({ reply: 'GetVersion:1.0' });
  });

  it('works when the content script starts after the first offer', async () => {
    const { link } = scriptedLink({ status: { host: { connected: false, errorCode: 'HOST_NOT_FOUND' }, readers: [], cardPresent: false } });
    const wiring = transportTo(link, { missFirstOffer: true });
    const api = new NhiCardApi(openPageBridge(wiring.transport));
    const status = api.status();
    wiring.announceRelay();
    await expect(status).resolves.toMatchObject({ host: { connected: false } });
    expect(wiring.offers()).toBe(2);
  });

  it('gives up with EXTENSION_UNAVAILABLE when no content script ever answers', async () => {
    const silent: HandshakeTransport = { offer: () => false, onRelayReady: () => undefined };
    const bridge = openPageBridge(silent, 20);
    await expect(bridge.call('status', {})).rejects.toMatchObject({ code: 'EXTENSION_UNAVAILABLE' });
  });

  it('subscribes when a page listens and delivers card events as CustomEvents', async () => {
    const { link, calls, emit } = scriptedLink({ subscribe: {} });
    const api = new NhiCardApi(openPageBridge(transportTo(link).transport));
    const received = new Promise<unknown>((resolve) => {
      api.on('card-inserted', resolve);
    });
    api.addEventListener('card-removed', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual(['subscribe']);
    emit({ type: 'card-inserted', reader: 'Virtual PCD 00 00' });
    await expect(received).resolves.toEqual({ reader: 'Virtual PCD 00 00' });
  });
});
