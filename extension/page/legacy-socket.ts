/**
 * A WebSocket look-alike for the NHIICC URLs. Real government pages were written against the
 * official component's WebSocket server and its quirks, so this follows the browser's WebSocket
 * where a page can observe it: the readyState machine, event order and event objects, exceptions,
 * and replies delivered in the order the frames were sent.
 */
import { UNKNOWN_COMMAND_CODE } from '../../native-host/protocol/nhiicc';
import { isRefusedRequest } from './page-bridge';
import { bareObject } from './page-natives';
import * as natives from './page-natives';

/** The extension side of one legacy socket. */
export interface LegacyLink {
  /** Resolves when the host is reachable, so the socket may open; rejects when it is not. */
  open(): Promise<void>;
  /** Sends one NHIICC text frame; resolves with the reply text (numeric codes included). */
  send(line: string): Promise<string>;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** Close codes a page may pass to close(), as the WebSocket standard allows. */
function isAllowedCloseCode(code: number): boolean {
  return code === 1000 || (code >= 3000 && code <= 4999);
}

/** The reply for a frame the extension could not even forward (bad line, too long). */
const UNKNOWN_COMMAND_REPLY = String(UNKNOWN_COMMAND_CODE);

/** WebIDL's string conversion, as the native methods apply it to their arguments. */
function toDomString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
  return String(value);
}

/** The start of the browser's messages for a method that refuses its arguments or state. */
function failedTo(method: string): string {
  return `Failed to execute '${method}' on 'WebSocket': `;
}

type HandlerType = 'open' | 'message' | 'error' | 'close';
type Handler = (this: EventTarget, event: Event) => unknown;

/** Reports an exception thrown by page code the way the browser would, without breaking us. */
export function reportPageError(error: unknown): void {
  reportError(error);
}

function closeEvent(code: number, reason: string, wasClean: boolean): CloseEvent {
  return new CloseEvent('close', { code, reason, wasClean });
}

/**
 * The class behind shimmed sockets. State lives in private fields, so page scripts can neither read
 * nor forge it; the public surface is the WebSocket one.
 */
export class LegacySocket extends EventTarget {
  readonly #url: string;
  readonly #origin: string;
  readonly #link: LegacyLink;
  #readyState: number = CONNECTING;
  #binaryType: BinaryType = 'blob';
  /** Frames are answered one after another, so replies arrive in send order. */
  #queue: Promise<void> = natives.resolved;
  /** Prototype-free, so a replaced Map or Object.prototype never sees the wrappers of page handlers. */
  readonly #handlers = bareObject<Record<HandlerType, { handler: Handler; wrapper: (event: Event) => void } | undefined>>({
    open: undefined,
    message: undefined,
    error: undefined,
    close: undefined,
  });

  constructor(url: string, link: LegacyLink) {
    super();
    this.#url = url;
    this.#origin = new URL(url).origin;
    this.#link = link;
    void natives.promiseThen(
      link.open(),
      () => {
        this.#opened();
      },
      () => {
        this.#fail();
      },
    );
  }

  get url(): string {
    return this.#url;
  }
  get readyState(): number {
    return this.#readyState;
  }
  // Accessors on the prototype, as a real socket has them, not own fields.
  /* eslint-disable @typescript-eslint/class-literal-property-style */
  /** Frames leave at once: nothing is ever buffered. */
  get bufferedAmount(): number {
    return 0;
  }
  /** No subprotocol or extension is ever negotiated with the component. */
  get extensions(): string {
    return '';
  }
  get protocol(): string {
    return '';
  }
  /* eslint-enable @typescript-eslint/class-literal-property-style */
  get binaryType(): BinaryType {
    return this.#binaryType;
  }
  set binaryType(value: unknown) {
    // Like the real attribute: other values are ignored.
    if (value === 'blob' || value === 'arraybuffer') this.#binaryType = value;
  }

  get onopen(): Handler | null {
    return this.#handler('open');
  }
  set onopen(value: unknown) {
    this.#setHandler('open', value);
  }
  get onmessage(): Handler | null {
    return this.#handler('message');
  }
  set onmessage(value: unknown) {
    this.#setHandler('message', value);
  }
  get onerror(): Handler | null {
    return this.#handler('error');
  }
  set onerror(value: unknown) {
    this.#setHandler('error', value);
  }
  get onclose(): Handler | null {
    return this.#handler('close');
  }
  set onclose(value: unknown) {
    this.#setHandler('close', value);
  }

  /** Sends one text frame; binary frames are accepted and dropped (NHIICC is text only). */
  send(...args: unknown[]): void {
    if (args.length === 0) throw new TypeError(`${failedTo('send')}1 argument required, but only 0 present.`);
    if (this.#readyState === CONNECTING) throw new DOMException(`${failedTo('send')}Still in CONNECTING state.`, 'InvalidStateError');
    const data = args[0];
    if (this.#readyState !== OPEN) return; // The browser silently discards frames after close().
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data) || data instanceof Blob) return;
    const line = toDomString(data);
    this.#queue = natives.promiseThen(this.#queue, () => this.#exchange(line));
  }

  /** Starts the closing handshake (or fails a connection still being established). */
  close(code?: unknown, reason?: unknown): void {
    if (code !== undefined) {
      const value = Number(code);
      if (!isAllowedCloseCode(value)) {
        throw new DOMException(`${failedTo('close')}The close code must be either 1000, or between 3000 and 4999. ${value} is neither.`, 'InvalidAccessError');
      }
    }
    const text = reason === undefined ? '' : toDomString(reason);
    if (new TextEncoder().encode(text).length > 123) {
      throw new DOMException(`${failedTo('close')}The close reason must not be greater than 123 UTF-8 bytes.`, 'SyntaxError');
    }
    if (this.#readyState === CLOSING || this.#readyState === CLOSED) return;
    if (this.#readyState === CONNECTING) {
      // The standard: closing a connection being established fails it (error, then close 1006).
      this.#readyState = CLOSING;
      setTimeout(() => {
        this.#fail();
      }, 0);
      return;
    }
    this.#readyState = CLOSING;
    setTimeout(() => {
      this.#readyState = CLOSED;
      natives.dispatchEvent(this, closeEvent(code === undefined ? 1005 : Number(code), text, true));
    }, 0);
  }

  #opened(): void {
    if (this.#readyState !== CONNECTING) return; // close() was called while connecting.
    this.#readyState = OPEN;
    natives.dispatchEvent(this, new natives.NativeEvent('open'));
  }

  /** The connection failed: error, then an unclean close, as the browser reports it. */
  #fail(): void {
    if (this.#readyState === CLOSED) return;
    this.#readyState = CLOSED;
    natives.dispatchEvent(this, new natives.NativeEvent('error'));
    natives.dispatchEvent(this, closeEvent(1006, '', false));
  }

  async #exchange(line: string): Promise<void> {
    let reply: string;
    try {
      reply = await this.#link.send(line);
    } catch (error) {
      if (isRefusedRequest(error)) {
        reply = UNKNOWN_COMMAND_REPLY;
      } else {
        // The extension went away under us: to the page this is a server that died.
        this.#fail();
        return;
      }
    }
    if (this.#readyState !== OPEN) return;
    // Native copies and a prototype-free init: the reply (card data) passes no page-replaceable code of ours.
    natives.dispatchEvent(this, new natives.NativeMessageEvent('message', bareObject({ data: reply, origin: this.#origin })));
  }

  #handler(type: HandlerType): Handler | null {
    return this.#handlers[type]?.handler ?? null;
  }

  /**
   * Event handler attributes as the standard defines them: the listener is added where the
   * handler is first set, replaced in place, removed when set to null; non-functions mean null.
   */
  #setHandler(type: HandlerType, value: unknown): void {
    const existing = this.#handlers[type];
    if (typeof value !== 'function') {
      if (existing !== undefined) {
        natives.removeEventListener(this, type, existing.wrapper);
        this.#handlers[type] = undefined;
      }
      return;
    }
    const handler = value as Handler;
    if (existing !== undefined) {
      existing.handler = handler;
      return;
    }
    const entry = {
      handler,
      wrapper: (event: Event) => {
        try {
          natives.apply(entry.handler, this, [event]);
        } catch (error) {
          reportPageError(error);
        }
      },
    };
    this.#handlers[type] = entry;
    natives.addEventListener(this, type, entry.wrapper);
  }
}
