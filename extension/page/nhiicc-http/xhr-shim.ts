/**
 * XMLHttpRequest for the component's HTTP API: a request opened on one of its URLs is answered by
 * the responder and never reaches the network; every other request is the browser's own, untouched.
 * Objects stay real XMLHttpRequests (jQuery and friends see nothing unusual): only the prototype's
 * methods and accessors learn to serve the requests we answer, from a private per-object slot.
 * Everything native is captured when the script starts, before any page script can replace it.
 */
import type { HttpApiResponder, HttpApiResponse } from './http-api-responder';
import { httpApiTarget, type HttpApiTarget } from './http-api-urls';
import * as natives from '../page-natives';
import { PrivateSlot } from './private-stamp';

const UNSENT = 0;
const OPENED = 1;
const HEADERS_RECEIVED = 2;
const LOADING = 3;
const DONE = 4;

/** One request we answer, from open() on. */
interface AnsweredRequest {
  readonly target: HttpApiTarget;
  readonly async: boolean;
  readyState: number;
  sent: boolean;
  /** Bumped by abort() and open(), so a late answer for an earlier send is dropped. */
  generation: number;
  response: Extract<HttpApiResponse, { kind: 'answer' }> | undefined;
}

/** What the shim needs from the page's globals (the window in the browser). */
export interface XhrScope {
  XMLHttpRequest?: unknown;
  ProgressEvent?: unknown;
  location?: { href: string };
}

/** Our replacements: a page calling them on something that is not an XHR gets a TypeError, as natively. */
type Replacement = (this: XMLHttpRequest, ...args: unknown[]) => unknown;
/** What we do for a request we answer; `args` are the page's arguments. */
type Ours = (xhr: XMLHttpRequest, request: AnsweredRequest, args: unknown[]) => unknown;

/** The browser's message for a method called in the wrong state. */
function notOpened(method: string): DOMException {
  return new DOMException(`Failed to execute '${method}' on 'XMLHttpRequest': The object's state must be OPENED.`, 'InvalidStateError');
}

/** Installs the shim on `scope`; false when there is no XMLHttpRequest to extend. */
export function installXhrShim(scope: XhrScope, responder: HttpApiResponder): boolean {
  const Native = scope.XMLHttpRequest;
  const NativeProgressEvent = scope.ProgressEvent;
  if (typeof Native !== 'function' || typeof NativeProgressEvent !== 'function') return false;
  const prototype = (Native as { prototype: object }).prototype;
  const Progress = NativeProgressEvent as typeof ProgressEvent;
  const apply = Reflect.apply;
  const then = natives.promiseThen;
  const dispatch = natives.native(EventTarget.prototype, 'dispatchEvent');
  const pageBase = scope.location?.href;
  const nativeOpen = natives.native(prototype, 'open');
  const nativeAbort = natives.native(prototype, 'abort');
  const nativeReadyState = natives.native(prototype, 'readyState', 'get');
  const nativeResponseType = natives.native(prototype, 'responseType', 'get');
  const parseJson = JSON.parse as (text: string) => unknown;
  const answered = new PrivateSlot<AnsweredRequest | undefined>();

  const fire = (xhr: XMLHttpRequest, type: string, progress: boolean, loaded = 0): void => {
    const event = progress ? new Progress(type, { lengthComputable: loaded > 0, loaded, total: loaded }) : new Event(type);
    apply(dispatch, xhr, [event]);
  };

  const setState = (xhr: XMLHttpRequest, request: AnsweredRequest, state: number): void => {
    request.readyState = state;
    fire(xhr, 'readystatechange', false);
  };

  /** A request that ends without an answer: the state, then `type` and loadend. */
  const fail = (xhr: XMLHttpRequest, request: AnsweredRequest, type: string): void => {
    request.readyState = DONE;
    request.response = undefined;
    fire(xhr, 'readystatechange', false);
    fire(xhr, type, true);
    fire(xhr, 'loadend', true);
  };

  const finish = (xhr: XMLHttpRequest, request: AnsweredRequest, outcome: HttpApiResponse): void => {
    if (outcome.kind === 'network-error') {
      fail(xhr, request, 'error');
      return;
    }
    request.response = outcome;
    const length = outcome.body.length;
    setState(xhr, request, HEADERS_RECEIVED);
    setState(xhr, request, LOADING);
    fire(xhr, 'progress', true, length);
    setState(xhr, request, DONE);
    fire(xhr, 'load', true, length);
    fire(xhr, 'loadend', true, length);
  };

  const headersText = (request: AnsweredRequest): string =>
    request.response === undefined || request.readyState < HEADERS_RECEIVED ? '' : `content-type: ${request.response.contentType}\r\n`;

  const body = (request: AnsweredRequest): string => (request.response === undefined || request.readyState < LOADING ? '' : request.response.body);

  /** The status once headers arrived, else undefined. */
  const statusOf = (request: AnsweredRequest): number | undefined => (request.readyState >= HEADERS_RECEIVED ? request.response?.status : undefined);

  /** open() decides whether the object is ours, so it runs for every object. */
  const open = function (this: XMLHttpRequest, ...args: unknown[]): unknown {
    if (args.length < 2) return apply(nativeOpen, this, args);
    let target: HttpApiTarget | undefined;
    try {
      target = httpApiTarget(String(args[1]), pageBase);
    } catch {
      target = undefined; // e.g. a Symbol: the native open() reports it.
    }
    const previous = answered.get(this);
    if (previous !== undefined) previous.generation += 1;
    if (target === undefined) {
      if (previous !== undefined) answered.set(this, undefined);
      return apply(nativeOpen, this, args);
    }
    // A request of ours replaces whatever this object was doing natively.
    if (apply(nativeReadyState, this, []) !== UNSENT) apply(nativeAbort, this, []);
    const request: AnsweredRequest = {
      target,
      async: args.length < 3 || Boolean(args[2]),
      readyState: UNSENT,
      sent: false,
      generation: (previous?.generation ?? 0) + 1,
      response: undefined,
    };
    answered.set(this, request);
    setState(this, request, OPENED);
    return undefined;
  };

  // The other methods and getters serve the objects open() made ours and leave the rest native.
  const methods: Record<string, Ours> = {
    send(xhr, request, args) {
      if (request.readyState !== OPENED || request.sent) throw notOpened('send');
      // The answer comes from the extension, which a synchronous request cannot wait for.
      if (!request.async) throw new DOMException("Failed to execute 'send' on 'XMLHttpRequest': Failed to load.", 'NetworkError');
      request.sent = true;
      const payload = args[0];
      const text = typeof payload === 'string' ? payload : '';
      const generation = request.generation;
      fire(xhr, 'loadstart', true);
      void then(
        responder.respond(request.target, text),
        (outcome) => {
          if (request.generation === generation) finish(xhr, request, outcome);
        },
        () => {
          if (request.generation === generation) finish(xhr, request, { kind: 'network-error' });
        },
      );
      return undefined;
    },
    abort(xhr, request) {
      request.generation += 1;
      if (request.sent && request.readyState !== DONE) fail(xhr, request, 'abort');
      request.sent = false;
      request.readyState = UNSENT;
      return undefined;
    },
    setRequestHeader(_xhr, request) {
      if (request.readyState !== OPENED || request.sent) throw notOpened('setRequestHeader');
      return undefined; // Headers mean nothing to the component's API.
    },
    getResponseHeader: (_xhr, request, args) => (String(args[0]).toLowerCase() === 'content-type' && headersText(request) !== '' ? (request.response?.contentType ?? null) : null),
    getAllResponseHeaders: (_xhr, request) => headersText(request),
    overrideMimeType: () => undefined,
  };

  const getters: Record<string, Ours> = {
    readyState: (_xhr, request) => request.readyState,
    status: (_xhr, request) => statusOf(request) ?? 0,
    statusText(_xhr, request) {
      const status = statusOf(request);
      return status === 200 ? 'OK' : status === 404 ? 'Not Found' : '';
    },
    responseURL: (_xhr, request) => (request.response === undefined ? '' : request.target.href),
    responseText(xhr, request) {
      const type = apply(nativeResponseType, xhr, []);
      if (type !== '' && type !== 'text') throw new DOMException("Failed to read the 'responseText' property from 'XMLHttpRequest': The value is only accessible if the object's 'responseType' is '' or 'text'.", 'InvalidStateError');
      return body(request);
    },
    response(xhr, request) {
      const type = apply(nativeResponseType, xhr, []);
      if (type === '' || type === 'text') return body(request);
      if (type !== 'json' || request.readyState !== DONE || request.response === undefined) return null;
      try {
        return parseJson(request.response.body);
      } catch {
        return null;
      }
    },
    responseXML: () => null,
  };

  /** `ours` for the objects open() made ours, the native `name` for all others. */
  const serving = (name: string, part: 'value' | 'get', ours: Ours): Replacement => {
    const nativeFn = natives.native(prototype, name, part);
    const replacement = function (this: XMLHttpRequest, ...args: unknown[]): unknown {
      const request = answered.get(this);
      return request === undefined ? apply(nativeFn, this, args) : ours(this, request, args);
    };
    return renamed(replacement, part === 'get' ? `get ${name}` : name, nativeFn.length);
  };
  const replace = (name: string, part: 'value' | 'get', fn: Replacement): void => {
    natives.defineProperty(prototype, name, { ...natives.getOwnDescriptor(prototype, name), [part]: fn });
  };
  replace('open', 'value', renamed(open, 'open', nativeOpen.length));
  for (const [name, ours] of Object.entries(methods)) replace(name, 'value', serving(name, 'value', ours));
  for (const [name, ours] of Object.entries(getters)) replace(name, 'get', serving(name, 'get', ours));
  return true;
}

/** Gives a replacement the native function's name and length, as page code may inspect them. */
function renamed<F extends (...args: never[]) => unknown>(fn: F, name: string, length: number): F {
  natives.defineProperty(fn, 'name', { value: name, configurable: true });
  natives.defineProperty(fn, 'length', { value: length, configurable: true });
  return fn;
}
