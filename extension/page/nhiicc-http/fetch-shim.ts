/**
 * fetch() for the component's HTTP API: a request to one of its URLs is answered by the responder
 * and never reaches the network; every other request goes to the browser's own fetch, untouched.
 */
import type { HttpApiResponder, HttpApiResponse } from './http-api-responder';
import { httpApiTarget, type HttpApiTarget } from './http-api-urls';
import * as natives from '../page-natives';

/** What the shim needs from the page's globals (the window in the browser). */
export interface FetchScope {
  fetch?: unknown;
  Request?: unknown;
  Response?: unknown;
  location?: { href: string };
}

type Fetch = (...args: unknown[]) => Promise<unknown>;

/** Installs the shim on `scope`; false when there is no fetch to wrap. */
export function installFetchShim(scope: FetchScope, responder: HttpApiResponder): boolean {
  const nativeFetch = scope.fetch;
  const NativeRequest = scope.Request;
  const NativeResponse = scope.Response;
  const descriptor = natives.getOwnDescriptor(scope, 'fetch');
  if (typeof nativeFetch !== 'function' || typeof NativeRequest !== 'function' || typeof NativeResponse !== 'function' || descriptor === undefined) return false;
  const RequestClass = NativeRequest as typeof Request;
  const ResponseClass = NativeResponse as typeof Response;
  const requestUrl = natives.nativeOf(RequestClass.prototype, 'url', 'get');
  const requestText = natives.nativeOf(RequestClass.prototype, 'text') as ((this: unknown) => Promise<string>) | undefined;
  const apply = Reflect.apply;
  const pageBase = scope.location?.href;
  const PromiseClass = natives.NativePromise;
  const then = natives.promiseThen;

  /** The component target of a fetch() call, or undefined to leave it to the browser. */
  const targetOf = (input: unknown): HttpApiTarget | undefined => {
    try {
      if (input instanceof RequestClass) return requestUrl === undefined ? undefined : httpApiTarget(String(apply(requestUrl, input, [])), pageBase);
      return httpApiTarget(String(input), pageBase);
    } catch {
      return undefined; // e.g. a Symbol: the native fetch() reports it.
    }
  };

  const bodyOf = async (input: unknown, init: unknown): Promise<string> => {
    const initBody = typeof init === 'object' && init !== null ? (init as { body?: unknown }).body : undefined;
    if (typeof initBody === 'string') return initBody;
    if (initBody === undefined && requestText !== undefined && input instanceof RequestClass) return apply(requestText, input, []);
    return '';
  };

  const shim = function fetch(this: unknown, ...args: unknown[]): Promise<unknown> {
    const target = targetOf(args[0]);
    if (target === undefined) return apply(nativeFetch as Fetch, this, args);
    return new PromiseClass((resolve, reject) => {
      const failed = () => {
        reject(new TypeError('Failed to fetch'));
      };
      const answer = (outcome: HttpApiResponse) => {
        if (outcome.kind === 'network-error') failed();
        else resolve(new ResponseClass(outcome.body, { status: outcome.status, headers: { 'content-type': outcome.contentType } }));
      };
      // Native then: a page may have replaced Promise.prototype.then by now.
      const respond = (body: string) => then(responder.respond(target, body), answer, failed);
      void then(bodyOf(args[0], args[1]), respond, failed);
    });
  };
  natives.defineProperty(shim, 'length', { value: (nativeFetch as Fetch).length, configurable: true });
  natives.defineProperty(scope, 'fetch', { ...descriptor, value: shim });
  return true;
}
