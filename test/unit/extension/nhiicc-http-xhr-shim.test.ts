import { describe, expect, it } from 'vitest';
import { createHttpApiResponder, type HttpApiAsk } from '../../../extension/page/nhiicc-http/http-api-responder';
import { installXhrShim } from '../../../extension/page/nhiicc-http/xhr-shim';

/** ProgressEvent, which Node lacks: an Event with `loaded`. */
class FakeProgressEvent extends Event {
  readonly loaded: number;
  constructor(type: string, init?: { loaded?: number }) {
    super(type);
    this.loaded = init?.loaded ?? 0;
  }
}

/** A fresh stand-in for the browser's XMLHttpRequest that logs every native call it gets. */
// The browser's are accessors on the prototype, which is what the shim wraps: keep them getters.
/* eslint-disable @typescript-eslint/class-literal-property-style */
function nativeXhrClass(log: string[]) {
  return class FakeXhr extends EventTarget {
    #readyState = 0;
    #responseType = '';
    open(method: string, url: string): void {
      log.push(`native open ${method} ${url}`);
      this.#readyState = 1;
    }
    send(): void {
      log.push('native send');
    }
    abort(): void {
      log.push('native abort');
      this.#readyState = 0;
    }
    setRequestHeader(name: string): void {
      log.push(`native setRequestHeader ${name}`);
    }
    getResponseHeader(): string {
      return 'native';
    }
    getAllResponseHeaders(): string {
      return 'native';
    }
    overrideMimeType(): void {
      log.push('native overrideMimeType');
    }
    get readyState(): number {
      return this.#readyState;
    }
    get status(): number {
      return 299;
    }
    get statusText(): string {
      return 'native';
    }
    get response(): string {
      return 'native';
    }
    get responseText(): string {
      return 'native';
    }
    get responseURL(): string {
      return 'native';
    }
    get responseXML(): null {
      return null;
    }
    get responseType(): string {
      return this.#responseType;
    }
    set responseType(value: string) {
      this.#responseType = value;
    }
  };
}

/* eslint-enable @typescript-eslint/class-literal-property-style */

/** `replies`: the background's answer text per API name. */
function setup(options: { reachable?: boolean; replies?: Record<string, string> } = {}) {
  const log: string[] = [];
  /** What the page asked the background: name and body. */
  const asks: string[] = [];
  const releases: (() => void)[] = [];
  const ask: HttpApiAsk = (name, body) => {
    asks.push(`${name} ${body}`);
    return new Promise((resolve, reject) => {
      // Answers wait for release(), so tests can act while a request is in flight.
      releases.push(() => {
        if (options.reachable === false) reject(new Error('no host'));
        else resolve(options.replies?.[name] ?? '{"result":"9999"}');
      });
    });
  };
  const scope = { XMLHttpRequest: nativeXhrClass(log) as unknown, ProgressEvent: FakeProgressEvent as unknown, location: { href: 'https://cloudicweb.nhi.gov.tw/page' } };
  installXhrShim(scope, createHttpApiResponder(ask));
  const Xhr = scope.XMLHttpRequest as new () => XMLHttpRequest;
  const release = async (): Promise<void> => {
    for (let round = 0; round < 10; round += 1) await Promise.resolve();
    for (const next of releases.splice(0)) next();
    for (let round = 0; round < 10; round += 1) await Promise.resolve();
  };
  return { Xhr, log, asks, release };
}

/** Every event a page could observe, with the readyState at that moment. */
function record(xhr: XMLHttpRequest): string[] {
  const events: string[] = [];
  for (const type of ['readystatechange', 'loadstart', 'progress', 'load', 'error', 'abort', 'loadend']) {
    xhr.addEventListener(type, () => events.push(`${type}@${xhr.readyState}`));
  }
  return events;
}

/** Waits until `xhr` is done (or gives up after many turns), without timers. */
async function settled(xhr: XMLHttpRequest, release: () => Promise<void>): Promise<void> {
  for (let round = 0; round < 20 && xhr.readyState !== 4; round += 1) await release();
}

describe('XMLHttpRequest to the component', () => {
  it('is answered in the page with the events, status, headers and JSON a library expects, and never reaches the native object', async () => {
    const { Xhr, log, asks, release } = setup({ replies: { GetVersion: '{"result":"0000","version":"0011"}' } });
    const xhr = new Xhr();
    const events = record(xhr);

    xhr.open('POST', 'http://localhost:59001/api/GetVersion');
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
    xhr.send();
    await settled(xhr, release);

    expect(events).toEqual(['readystatechange@1', 'loadstart@1', 'readystatechange@2', 'readystatechange@3', 'progress@3', 'readystatechange@4', 'load@4', 'loadend@4']);
    expect([xhr.status, xhr.statusText, xhr.responseURL]).toEqual([200, 'OK', 'http://localhost:59001/api/GetVersion']);
    expect(xhr.getResponseHeader('Content-Type')).toBe('application/json; charset=utf-8');
    expect(xhr.getAllResponseHeaders()).toBe('content-type: application/json; charset=utf-8\r\n');
    expect(JSON.parse(xhr.responseText)).toEqual({ result: '0000', version: '0011' });
    expect(asks).toEqual(['GetVersion ']);
    expect(log).toEqual([]);
  });

  it('hands the request body on as it is and a json responseType the parsed answer', async () => {
    const sign = 'A'.repeat(256);
    const { Xhr, asks, release } = setup({ replies: { SignHC: `{"result":"0000","sign":"${sign}"}` } });
    const xhr = new Xhr();
    xhr.responseType = 'json';

    xhr.open('POST', 'https://localhost:59002/api/SignHC');
    xhr.send(JSON.stringify({ random: '00111234567890123456' }));
    await settled(xhr, release);

    expect(asks).toEqual(['SignHC {"random":"00111234567890123456"}']);
    expect(xhr.response).toEqual({ result: '0000', sign });
    expect(() => xhr.responseText).toThrow(DOMException);
  });

  it('fails like a port nobody listens on when the host cannot be reached', async () => {
    const { Xhr, log, release } = setup({ reachable: false });
    const xhr = new Xhr();
    const events = record(xhr);

    xhr.open('POST', 'http://localhost:59001/api/GetVersion');
    xhr.send();
    await settled(xhr, release);

    expect(events).toEqual(['readystatechange@1', 'loadstart@1', 'readystatechange@4', 'error@4', 'loadend@4']);
    expect([xhr.status, xhr.responseText, xhr.getAllResponseHeaders()]).toEqual([0, '', '']);
    expect(log).toEqual([]);
  });

  it('drops a late answer after abort()', async () => {
    const { Xhr, release } = setup({ replies: { GetBasic: '{"result":"0000"}' } });
    const xhr = new Xhr();
    const events = record(xhr);

    xhr.open('POST', 'http://localhost:59001/api/GetBasic');
    xhr.send();
    await Promise.resolve();
    xhr.abort();
    await release();
    await release();

    expect(events).toEqual(['readystatechange@1', 'loadstart@1', 'readystatechange@4', 'abort@4', 'loadend@4']);
    expect([xhr.readyState, xhr.status]).toEqual([0, 0]);
  });

  it('refuses a synchronous request, which cannot wait for the extension, with a NetworkError', () => {
    const { Xhr } = setup();
    const xhr = new Xhr();
    xhr.open('POST', 'http://localhost:59001/api/GetVersion', false);
    expect(() => {
      xhr.send();
    }).toThrow(expect.objectContaining({ name: 'NetworkError' }) as Error);
  });

  it('answers send() twice with InvalidStateError, as the browser does', () => {
    const { Xhr } = setup();
    const xhr = new Xhr();
    xhr.open('POST', 'http://localhost:59001/api/GetVersion');
    xhr.send();
    expect(() => {
      xhr.send();
    }).toThrow(expect.objectContaining({ name: 'InvalidStateError' }) as Error);
  });
});

describe('XMLHttpRequest to anywhere else', () => {
  it('is the browser\'s own, untouched', () => {
    const { Xhr, log, asks } = setup();
    const xhr = new Xhr();

    xhr.open('POST', 'https://cloudicweb.nhi.gov.tw/api/GetVersion');
    xhr.setRequestHeader('X-Test', '1');
    xhr.send('body');

    expect(log).toEqual(['native open POST https://cloudicweb.nhi.gov.tw/api/GetVersion', 'native setRequestHeader X-Test', 'native send']);
    expect([xhr.status, xhr.responseText, xhr.getAllResponseHeaders()]).toEqual([299, 'native', 'native']);
    expect(asks).toEqual([]);
  });

  it('is native again when an object that talked to the component opens another URL', async () => {
    const { Xhr, log, release } = setup({ replies: { GetVersion: '{"result":"0000","version":"0011"}' } });
    const xhr = new Xhr();
    xhr.open('POST', 'http://localhost:59001/api/GetVersion');
    xhr.send();
    await settled(xhr, release);

    xhr.open('GET', 'https://cloudicweb.nhi.gov.tw/next');
    xhr.send();

    expect(log).toEqual(['native open GET https://cloudicweb.nhi.gov.tw/next', 'native send']);
    expect(xhr.status).toBe(299);
  });

  it('keeps the native names and lengths of what it replaced', () => {
    const prototype = setup().Xhr.prototype as XMLHttpRequest;
    expect(prototype.open.name).toBe('open');
    expect(prototype.send.name).toBe('send');
    expect(Object.getOwnPropertyDescriptor(prototype, 'status')?.get?.name).toBe('get status');
  });
});
