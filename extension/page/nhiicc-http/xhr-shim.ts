/**
 * XMLHttpRequest for the component's HTTP API: a request opened on one of its URLs is answered by
 * the responder and never reaches the network; every other request is the browser's own, untouched.
 * Objects stay real XMLHttpRequests (jQuery and friends see nothing unusual): only the prototype's
 * methods and accessors learn to serve the requests we answer, from a private per-object slot.
 * Everything native is captured when the script starts, before any page script can replace it.
 */
import type { HttpApiResponder, HttpApiResponse } from './http-api-responder';
import { httpApiTarget, type HttpApiTarget } from './http-api-urls';
import { nativeGetter, nativeMethod } from '../page-natives';
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

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Getter = (this: unknown) => unknown;
/** Our replacements: a page calling them on something that is not an XHR gets a TypeError, as natively. */
type Replacement = (this: XMLHttpRequest, ...args: unknown[]) => unknown;

function requiredMethod(prototype: object, name: string): Method {
  const method = nativeMethod(prototype, name);
  if (method === undefined) throw new TypeError(`XMLHttpRequest.prototype.${name} is missing`);
  return method;
}

function requiredGetter(prototype: object, name: string): Getter {
  const getter = nativeGetter(prototype, name);
  if (getter === undefined) throw new TypeError(`XMLHttpRequest.prototype.${name} is missing`);
  return getter;
}

/** Installs the shim on `scope`; false when there is no XMLHttpRequest to extend. */
export function installXhrShim(scope: XhrScope, responder: HttpApiResponder): boolean {
  const Native = scope.XMLHttpRequest;
  const NativeProgressEvent = scope.ProgressEvent;
  if (typeof Native !== 'function' || typeof NativeProgressEvent !== 'function') return false;
  const prototype = (Native as { prototype: object }).prototype;
  const Progress = NativeProgressEvent as typeof ProgressEvent;
  const apply = Reflect.apply;
  const dispatch = requiredMethod(EventTarget.prototype, 'dispatchEvent');
  const pageBase = scope.location?.href;
  const native = {
    open: requiredMethod(prototype, 'open'),
    send: requiredMethod(prototype, 'send'),
    abort: requiredMethod(prototype, 'abort'),
    setRequestHeader: requiredMethod(prototype, 'setRequestHeader'),
    getResponseHeader: requiredMethod(prototype, 'getResponseHeader'),
    getAllResponseHeaders: requiredMethod(prototype, 'getAllResponseHeaders'),
    overrideMimeType: requiredMethod(prototype, 'overrideMimeType'),
    readyState: requiredGetter(prototype, 'readyState'),
    status: requiredGetter(prototype, 'status'),
    statusText: requiredGetter(prototype, 'statusText'),
    response: requiredGetter(prototype, 'response'),
    responseText: requiredGetter(prototype, 'responseText'),
    responseURL: requiredGetter(prototype, 'responseURL'),
    responseXML: requiredGetter(prototype, 'responseXML'),
    responseType: requiredGetter(prototype, 'responseType'),
  };
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

  const finish = (xhr: XMLHttpRequest, request: AnsweredRequest, outcome: HttpApiResponse): void => {
    if (outcome.kind === 'network-error') {
      request.readyState = DONE;
      request.response = undefined;
      fire(xhr, 'readystatechange', false);
      fire(xhr, 'error', true);
      fire(xhr, 'loadend', true);
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

  const methods: Record<string, Replacement> = {
    open(...args) {
      if (args.length < 2) return apply(native.open, this, args);
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
        return apply(native.open, this, args);
      }
      // A request of ours replaces whatever this object was doing natively.
      if (apply(native.readyState, this, []) !== UNSENT) apply(native.abort, this, []);
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
    },
    send(...args) {
      const request = answered.get(this);
      if (request === undefined) return apply(native.send, this, args);
      if (request.readyState !== OPENED || request.sent) throw new DOMException("Failed to execute 'send' on 'XMLHttpRequest': The object's state must be OPENED.", 'InvalidStateError');
      // The answer comes from the extension, which a synchronous request cannot wait for.
      if (!request.async) throw new DOMException("Failed to execute 'send' on 'XMLHttpRequest': Failed to load.", 'NetworkError');
      request.sent = true;
      const payload = args[0];
      const text = typeof payload === 'string' ? payload : '';
      const generation = request.generation;
      fire(this, 'loadstart', true);
      void responder.respond(request.target, text).then(
        (outcome) => {
          if (request.generation === generation) finish(this, request, outcome);
        },
        () => {
          if (request.generation === generation) finish(this, request, { kind: 'network-error' });
        },
      );
      return undefined;
    },
    abort(...args) {
      const request = answered.get(this);
      if (request === undefined) return apply(native.abort, this, args);
      request.generation += 1;
      if (request.sent && request.readyState !== DONE) {
        request.readyState = DONE;
        request.response = undefined;
        fire(this, 'readystatechange', false);
        fire(this, 'abort', true);
        fire(this, 'loadend', true);
      }
      request.sent = false;
      request.readyState = UNSENT;
      return undefined;
    },
    setRequestHeader(...args) {
      const request = answered.get(this);
      if (request === undefined) return apply(native.setRequestHeader, this, args);
      if (request.readyState !== OPENED || request.sent) throw new DOMException("Failed to execute 'setRequestHeader' on 'XMLHttpRequest': The object's state must be OPENED.", 'InvalidStateError');
      return undefined; // Headers mean nothing to the component's API.
    },
    getResponseHeader(...args) {
      const request = answered.get(this);
      if (request === undefined) return apply(native.getResponseHeader, this, args);
      return String(args[0]).toLowerCase() === 'content-type' && headersText(request) !== '' ? (request.response?.contentType ?? null) : null;
    },
    getAllResponseHeaders(...args) {
      const request = answered.get(this);
      if (request === undefined) return apply(native.getAllResponseHeaders, this, args);
      return headersText(request);
    },
    overrideMimeType(...args) {
      const request = answered.get(this);
      if (request === undefined) return apply(native.overrideMimeType, this, args);
      return undefined;
    },
  };

  const getters: Record<string, Replacement> = {
    readyState() {
      const request = answered.get(this);
      return request === undefined ? apply(native.readyState, this, []) : request.readyState;
    },
    status() {
      const request = answered.get(this);
      if (request === undefined) return apply(native.status, this, []);
      return request.readyState >= HEADERS_RECEIVED ? (request.response?.status ?? 0) : 0;
    },
    statusText() {
      const request = answered.get(this);
      if (request === undefined) return apply(native.statusText, this, []);
      const status = request.readyState >= HEADERS_RECEIVED ? request.response?.status : undefined;
      return status === 200 ? 'OK' : status === 404 ? 'Not Found' : '';
    },
    responseURL() {
      const request = answered.get(this);
      if (request === undefined) return apply(native.responseURL, this, []);
      return request.response === undefined ? '' : request.target.href;
    },
    responseText() {
      const request = answered.get(this);
      if (request === undefined) return apply(native.responseText, this, []);
      const type = apply(native.responseType, this, []);
      if (type !== '' && type !== 'text') throw new DOMException("Failed to read the 'responseText' property from 'XMLHttpRequest': The value is only accessible if the object's 'responseType' is '' or 'text'.", 'InvalidStateError');
      return body(request);
    },
    response() {
      const request = answered.get(this);
      if (request === undefined) return apply(native.response, this, []);
      const type = apply(native.responseType, this, []);
      if (type === '' || type === 'text') return body(request);
      if (type !== 'json' || request.readyState !== DONE || request.response === undefined) return null;
      try {
        return parseJson(request.response.body);
      } catch {
        return null;
      }
    },
    responseXML() {
      const request = answered.get(this);
      return request === undefined ? apply(native.responseXML, this, []) : null;
    },
  };

  for (const [name, method] of Object.entries(methods)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    Object.defineProperty(prototype, name, { ...descriptor, value: renamed(method, name, requiredMethod(prototype, name).length) });
  }
  for (const [name, getter] of Object.entries(getters)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    Object.defineProperty(prototype, name, { ...descriptor, get: renamed(getter, `get ${name}`, 0) });
  }
  return true;
}

/** Gives a replacement the native function's name and length, as page code may inspect them. */
function renamed<F extends (...args: never[]) => unknown>(fn: F, name: string, length: number): F {
  Object.defineProperty(fn, 'name', { value: name, configurable: true });
  Object.defineProperty(fn, 'length', { value: length, configurable: true });
  return fn;
}
