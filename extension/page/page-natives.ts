/**
 * The built-ins the page-world scripts call, copied once when this module is evaluated: at
 * document_start, before any page script exists. Page scripts share our JavaScript world and may
 * later replace MessagePort.prototype.postMessage, EventTarget.prototype.addEventListener,
 * Promise.prototype.then, JSON, window.Promise and the like; our code calls only these copies, so a
 * replaced method never sees our port, our requests or a card reply on their way through our code.
 * What the site's own code does with a reply is the site's business (docs/security.md).
 */

const reflectApply = Reflect.apply;
/** Object's reflection functions, for installing the shims (their names minify as bindings). */
export const getOwnDescriptor = Object.getOwnPropertyDescriptor;
export const defineProperty = Object.defineProperty;
const objectCreate = Object.create;
const objectKeys = Object.keys;

type NativeFunction = (this: unknown, ...args: unknown[]) => unknown;

/**
 * The function-valued part of `proto`'s own property `name` as found now (a method's value, an
 * accessor's getter or setter), or undefined when absent.
 */
export function nativeOf(proto: object, name: string, part: 'value' | 'get' | 'set' = 'value'): NativeFunction | undefined {
  const descriptor = getOwnDescriptor(proto, name);
  const found: unknown = descriptor === undefined ? undefined : Reflect.get(descriptor, part);
  return typeof found === 'function' ? (found as NativeFunction) : undefined;
}

/** The native function `proto[name]` (a method, or an accessor's getter or setter); our own code needs it. */
export function native(proto: object, name: string, part: 'value' | 'get' | 'set' = 'value'): NativeFunction {
  const found = nativeOf(proto, name, part);
  if (found === undefined) throw new TypeError(`NHI Card Bridge: no native ${name}`);
  return found;
}

/** `fn` as a plain function taking its receiver first, immune to later prototype edits. */
function uncurry(fn: unknown): (self: unknown, ...args: unknown[]) => unknown {
  return (self, ...args) => reflectApply(fn as (...args: unknown[]) => unknown, self, args);
}

type Timer = ReturnType<typeof globalThis.setTimeout>;
const messagePort = MessagePort.prototype;
const eventTarget = EventTarget.prototype;

// Each native is its own export, read as `natives.x` through `import * as natives`: the bundler
// turns those into plain bindings, which minify to a letter (an object's keys would not).
export const NativeMessageChannel = MessageChannel;
export const NativeMessageEvent = MessageEvent;
export const NativeCustomEvent = CustomEvent;
export const NativeEvent = Event;
export const NativePromise = Promise;
/** A settled promise to chain from, made before page scripts could replace Promise.resolve. */
export const resolved = Promise.resolve();
export const setTimeout: (callback: () => void, ms: number) => Timer = globalThis.setTimeout.bind(globalThis);
export const clearTimeout: (timer: Timer) => void = globalThis.clearTimeout.bind(globalThis);
export const apply = reflectApply;
// The rest are called with their receiver as the first argument.
export const portPostMessage = uncurry(native(messagePort, 'postMessage')) as (port: MessagePort, message: unknown) => void;
export const portClose = uncurry(native(messagePort, 'close')) as (port: MessagePort) => void;
export const setPortOnMessage = uncurry(native(messagePort, 'onmessage', 'set')) as (port: MessagePort, handler: (event: MessageEvent) => void) => void;
export const messageData = uncurry(native(MessageEvent.prototype, 'data', 'get')) as (event: MessageEvent) => unknown;
export const dispatchEvent = uncurry(native(eventTarget, 'dispatchEvent')) as (target: EventTarget, event: Event) => boolean;
export const addEventListener = uncurry(native(eventTarget, 'addEventListener')) as (target: EventTarget, type: string, listener: (event: Event) => void, options?: AddEventListenerOptions) => void;
export const removeEventListener = uncurry(native(eventTarget, 'removeEventListener')) as (target: EventTarget, type: string, listener: (event: Event) => void) => void;
export const promiseThen = uncurry(native(Promise.prototype, 'then')) as <T, R>(promise: Promise<T>, onFulfilled: (value: T) => R | PromiseLike<R>, onRejected?: (reason: unknown) => R | PromiseLike<R>) => Promise<R>;

/**
 * A fresh object with no prototype: event-init dictionaries and lookup tables built with it never
 * consult Object.prototype, where a page script may have planted getters or setters.
 */
export function bareObject<T extends object>(properties: T): T {
  const bare = objectCreate(null) as T;
  // The keys alone may pass a page-replaced array iterator; the values never do.
  for (const key of objectKeys(properties) as (keyof T)[]) bare[key] = properties[key];
  return bare;
}
