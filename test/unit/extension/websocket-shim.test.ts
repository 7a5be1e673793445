import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { ExtensionErrorCode } from '../../../native-host/protocol/error-codes';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { installWebSocketShim } from '../../../extension/page/websocket-shim';
import type { LegacyLink } from '../../../extension/page/legacy-socket';
import { ControlledLink, isNative, NativeWebSocket, settle, windowScope } from './fake-websocket';

type Socket = WebSocket;
type SocketConstructor = typeof globalThis.WebSocket;

function setup(link: LegacyLink = new ControlledLink()) {
  const scope = windowScope();
  installWebSocketShim(scope, link);
  return { WebSocket: scope.WebSocket as SocketConstructor, scope };
}

/** Records every event a page could observe, in order, with the readyState at that moment. */
function record(socket: Socket): string[] {
  const log: string[] = [];
  for (const type of ['open', 'message', 'error', 'close']) {
    socket.addEventListener(type, (event) => {
      if (event instanceof MessageEvent) log.push(`message:${String(event.data)}@${socket.readyState}`);
      else if (type === 'close') {
        const close = event as CloseEvent;
        log.push(`close:${close.code}:${close.wasClean}@${socket.readyState}`);
      } else log.push(`${type}@${socket.readyState}`);
    });
  }
  return log;
}

const openLink = (replies: Record<string, string> = {}): LegacyLink => ({
  open: () => Promise.resolve(),
  send: (line) => Promise.resolve(replies[line] ?? `${line}:ok`),
});

/** The browser's CloseEvent, which Node lacks: an Event with the close fields. */
class NodeCloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  constructor(type: string, init: CloseEventInit = {}) {
    super(type);
    this.code = init.code ?? 0;
    this.reason = init.reason ?? '';
    this.wasClean = init.wasClean ?? false;
  }
}

let reported: unknown[];
beforeEach(() => {
  reported = [];
  vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
  if (typeof CloseEvent !== 'function') vi.stubGlobal('CloseEvent', NodeCloseEvent);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('which URLs the shim answers', () => {
  it.each([
    'wss://iccert.nhi.gov.tw:7777/echo',
    'wss://localhost:7777/echo',
    'wss://127.0.0.1:7777/echo',
    'wss://127.0.0.1:7776/echo',
    'wss://LOCALHOST:7777/echo',
    'https://localhost:7777/echo',
    '//iccert.nhi.gov.tw:7777/echo',
  ])('shims %s', (url) => {
    const { WebSocket } = setup();
    expect(isNative(new WebSocket(url))).toBe(false);
  });

  it.each([
    'wss://example.com/socket',
    'wss://localhost:7778/echo',
    'ws://localhost:7777/echo',
    'wss://iccert.nhi.gov.tw.evil.com:7777/echo',
    'wss://evil.com/?wss://localhost:7777/echo',
    'wss://user@localhost:7777/echo',
    'wss://localhost:7777/echo#fragment',
  ])('hands %s to the native WebSocket untouched', (url) => {
    const { WebSocket } = setup();
    const socket = new WebSocket(url);
    expect(isNative(socket)).toBe(true);
    expect(socket.url).toBe(url);
  });

  it('passes URL objects and subclasses to the native constructor', () => {
    const { WebSocket } = setup();
    class Sub extends WebSocket {}
    expect(Object.getPrototypeOf(new Sub('wss://localhost:7777/echo'))).toBe(Sub.prototype);
    expect(isNative(new WebSocket(new URL('wss://example.com/')))).toBe(true);
  });
});

describe('the constructor still looks native', () => {
  it('keeps name, length, prototype and constants', () => {
    const { WebSocket } = setup();
    expect(WebSocket.name).toBe('WebSocket');
    expect(WebSocket.length).toBe(NativeWebSocket.length);
    expect(WebSocket.prototype).toBe(NativeWebSocket.prototype);
    expect([WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED]).toEqual([0, 1, 2, 3]);
    expect(Function.prototype.toString.call(WebSocket)).toContain('[native code]');
  });

  it('makes shimmed sockets instances of WebSocket with the native tag and constructor', () => {
    const { WebSocket } = setup();
    const socket = new WebSocket('wss://localhost:7777/echo');
    expect(socket instanceof WebSocket).toBe(true);
    expect(Object.prototype.toString.call(socket)).toBe('[object WebSocket]');
    expect(socket.constructor).toBe(WebSocket);
    expect([socket.CONNECTING, socket.OPEN, socket.CLOSING, socket.CLOSED]).toEqual([0, 1, 2, 3]);
    expect(socket.url).toBe('wss://localhost:7777/echo');
    expect([socket.protocol, socket.extensions, socket.bufferedAmount, socket.binaryType]).toEqual(['', '', 0, 'blob']);
  });

  it('keeps the property non-enumerable and replaceable, like the native one', () => {
    const { scope } = setup();
    expect(Object.getOwnPropertyDescriptor(scope, 'WebSocket')).toMatchObject({ writable: true, configurable: true, enumerable: false });
  });

  it('throws like the native constructor when called without new', () => {
    const { WebSocket } = setup();
    expect(() => (WebSocket as unknown as (url: string) => unknown)('wss://localhost:7777/echo')).toThrow(TypeError);
  });
});

describe('state machine and events', () => {
  it('opens asynchronously: CONNECTING, then open with readyState OPEN', async () => {
    const link = new ControlledLink();
    const { WebSocket } = setup(link);
    const socket = new WebSocket('wss://localhost:7777/echo');
    const log = record(socket);
    expect(socket.readyState).toBe(WebSocket.CONNECTING);
    await settle();
    expect(log).toEqual([]);
    link.opening.resolve(undefined);
    await settle();
    expect(log).toEqual(['open@1']);
  });

  it('reports a failed connection as error then an unclean close 1006', async () => {
    const link = new ControlledLink();
    const { WebSocket } = setup(link);
    const socket = new WebSocket('wss://localhost:7777/echo');
    const log = record(socket);
    link.opening.reject(new NhiCardError(ExtensionErrorCode.HostNotFound, 'not installed'));
    await settle();
    expect(log).toEqual(['error@3', 'close:1006:false@3']);
  });

  it('throws InvalidStateError when sending before open, like the native socket', () => {
    const { WebSocket } = setup();
    const socket = new WebSocket('wss://localhost:7777/echo');
    let thrown: unknown;
    try {
      socket.send('GetBasic');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DOMException);
    expect((thrown as DOMException).name).toBe('InvalidStateError');
    expect(() => { (socket.send as () => void)(); }).toThrow(TypeError);
  });

  it('answers frames sent back-to-back in send order, each as a MessageEvent from the socket origin', async () => {
    const delays: Record<string, number> = { GetBasic: 30, GetVersion: 0, GetRandom: 10 };
    const link: LegacyLink = {
      open: () => Promise.resolve(),
      send: (line) => new Promise((resolve) => setTimeout(() => { resolve(`${line}:reply`); }, delays[line] ?? 0)),
    };
    const { WebSocket } = setup(link);
    const socket = new WebSocket('wss://iccert.nhi.gov.tw:7777/echo');
    const events: MessageEvent[] = [];
    socket.onopen = () => {
      socket.send('GetBasic');
      socket.send('GetVersion');
      socket.send('GetRandom');
    };
    socket.onmessage = (event) => events.push(event);
    await vi.waitFor(() => { expect(events).toHaveLength(3); });
    expect(events.map((event) => String(event.data))).toEqual(['GetBasic:reply', 'GetVersion:reply', 'GetRandom:reply']);
    expect(events[0]).toBeInstanceOf(MessageEvent);
    expect(events[0]?.origin).toBe('wss://iccert.nhi.gov.tw:7777');
    expect(events[0]?.target).toBe(socket);
  });

  it('closes cleanly: CLOSING at once, then close 1005 and no later messages', async () => {
    const link = new ControlledLink();
    link.opening.resolve(undefined);
    const { WebSocket } = setup(link);
    const socket = new WebSocket('wss://localhost:7777/echo');
    const log = record(socket);
    await settle();
    socket.send('GetBasic');
    socket.close();
    expect(socket.readyState).toBe(WebSocket.CLOSING);
    await settle();
    link.answer(0, 'GetBasic:late');
    await settle();
    expect(log).toEqual(['open@1', 'close:1005:true@3']);
    expect(() => {
      socket.send('after close');
    }).not.toThrow();
    socket.close(); // A second close is a no-op.
  });

  it('reports the code and reason given to close()', async () => {
    const { WebSocket } = setup(openLink());
    const socket = new WebSocket('wss://localhost:7777/echo');
    await settle();
    const closed = new Promise<CloseEvent>((resolve) => {
      socket.onclose = resolve;
    });
    socket.close(1000, 'done');
    const event = await closed;
    expect([event.code, event.reason, event.wasClean]).toEqual([1000, 'done', true]);
  });

  it.each([
    [999, 'InvalidAccessError'],
    [1001, 'InvalidAccessError'],
    [5000, 'InvalidAccessError'],
  ])('rejects close code %i with %s', (code, name) => {
    const { WebSocket } = setup(openLink());
    const socket = new WebSocket('wss://localhost:7777/echo');
    expect(() => {
      socket.close(code);
    }).toThrow(expect.objectContaining({ name }) as Error);
  });

  it('rejects a close reason longer than 123 UTF-8 bytes with SyntaxError', () => {
    const { WebSocket } = setup(openLink());
    const socket = new WebSocket('wss://localhost:7777/echo');
    expect(() => {
      socket.close(1000, '健'.repeat(42));
    }).toThrow(expect.objectContaining({ name: 'SyntaxError' }) as Error);
  });

  it('fails a connection closed while connecting: error, close 1006, and never open', async () => {
    const link = new ControlledLink();
    const { WebSocket } = setup(link);
    const socket = new WebSocket('wss://localhost:7777/echo');
    const log = record(socket);
    socket.close();
    expect(socket.readyState).toBe(WebSocket.CLOSING);
    link.opening.resolve(undefined);
    await settle();
    expect(log).toEqual(['error@3', 'close:1006:false@3']);
  });

  it('drops binary frames (the component is text only)', async () => {
    const link = new ControlledLink();
    link.opening.resolve(undefined);
    const { WebSocket } = setup(link);
    const socket = new WebSocket('wss://localhost:7777/echo');
    await settle();
    socket.send(new Uint8Array([1, 2]));
    socket.send(new ArrayBuffer(2));
    socket.send(new Blob(['x']));
    await settle();
    expect(link.sent).toEqual([]);
  });
});

describe('page handlers and extension failures', () => {
  it('reports an exception thrown by a page handler and keeps the socket working', async () => {
    const { WebSocket } = setup(openLink());
    const socket = new WebSocket('wss://localhost:7777/echo');
    const failure = new Error('popup is undefined');
    const messages: unknown[] = [];
    socket.onopen = () => {
      socket.send('GetVersion');
      throw failure;
    };
    socket.onmessage = (event) => messages.push(event.data);
    await vi.waitFor(() => { expect(messages).toEqual(['GetVersion:ok']); });
    expect(reported).toEqual([failure]);
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });

  it('treats on* properties as the standard does: functions only, replaced in place', async () => {
    const { WebSocket } = setup(openLink());
    const socket = new WebSocket('wss://localhost:7777/echo');
    const order: string[] = [];
    socket.onopen = () => order.push('first handler');
    socket.addEventListener('open', () => order.push('listener'));
    socket.onopen = () => order.push('replaced handler');
    (socket as unknown as { onerror: unknown }).onerror = 'not a function';
    expect(socket.onerror).toBeNull();
    await settle();
    expect(order).toEqual(['replaced handler', 'listener']);
    socket.onopen = null;
    expect(socket.onopen).toBeNull();
  });

  it('answers 9999 to a frame the extension refuses as invalid', async () => {
    const link: LegacyLink = { open: () => Promise.resolve(), send: () => Promise.reject(new NhiCardError(ErrorCode.InvalidRequest, 'too long')) };
    const { WebSocket } = setup(link);
    const socket = new WebSocket('wss://localhost:7777/echo');
    const log = record(socket);
    await settle();
    socket.send('x'.repeat(5000));
    await settle();
    expect(log).toEqual(['open@1', 'message:9999@1']);
  });

  it('looks like a server that died when the extension goes away mid-session', async () => {
    const link: LegacyLink = { open: () => Promise.resolve(), send: () => Promise.reject(new NhiCardError(ExtensionErrorCode.ExtensionUnavailable, 'reloaded')) };
    const { WebSocket } = setup(link);
    const socket = new WebSocket('wss://localhost:7777/echo');
    const log = record(socket);
    await settle();
    socket.send('GetBasic');
    await settle();
    expect(log).toEqual(['open@1', 'error@3', 'close:1006:false@3']);
  });
});
