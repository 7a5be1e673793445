/**
 * Test doubles for the shim: a stand-in for the browser's WebSocket constructor (Node 20 has
 * none) with the native surface the shim must preserve, and a controllable extension link.
 */
import type { LegacyLink } from '../../../extension/page/legacy-socket';
import type { ShimScope } from '../../../extension/page/websocket-shim';

/** Mimics the native constructor's observable surface: name, constants, toStringTag, `new` only. */
export const NativeWebSocket = class WebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly url: string;
  constructor(url: string) {
    super();
    this.url = url;
  }
};
Object.defineProperties(NativeWebSocket.prototype, {
  CONNECTING: { value: 0, enumerable: true },
  OPEN: { value: 1, enumerable: true },
  CLOSING: { value: 2, enumerable: true },
  CLOSED: { value: 3, enumerable: true },
  [Symbol.toStringTag]: { value: 'WebSocket', configurable: true },
});

/** True when the native constructor built `socket` (shimmed sockets have their own prototype). */
export function isNative(socket: object): boolean {
  return Object.getPrototypeOf(socket) === NativeWebSocket.prototype;
}

/** A window-like scope holding the native constructor as browsers do (writable, configurable, hidden). */
export function windowScope(href = 'https://cloudicweb.nhi.gov.tw/page'): ShimScope & { WebSocket: unknown } {
  const scope = { location: { href } } as ShimScope & { WebSocket: unknown };
  Object.defineProperty(scope, 'WebSocket', { value: NativeWebSocket, writable: true, configurable: true, enumerable: false });
  return scope;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A link whose open and replies the test settles by hand, in any order. */
export class ControlledLink implements LegacyLink {
  readonly opening = deferred<undefined>();
  readonly sent: { line: string; reply: Deferred<string> }[] = [];

  open(): Promise<void> {
    return this.opening.promise;
  }

  send(line: string): Promise<string> {
    const reply = deferred<string>();
    this.sent.push({ line, reply });
    return reply.promise;
  }

  /** Answers the n-th frame sent. */
  answer(index: number, text: string): void {
    const entry = this.sent[index];
    if (entry === undefined) throw new Error(`frame ${index} was never sent`);
    entry.reply.resolve(text);
  }
}

/** Lets queued promise callbacks and zero-delay timers run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
