/**
 * Answers the HTTP API in the page: each request goes to the background by name, which answers it
 * through the same host commands and consent as the WebSocket shim (extension/background/nhiicc-http/).
 * When the extension or the host cannot be reached, the request fails like a request to a
 * component that is not running, so the library reports its own "component not installed" message.
 */
import { UNKNOWN_COMMAND_CODE } from '../../../native-host/protocol/nhiicc';
import type { HttpApiName, StatusImage } from '../../shared/nhiicc-http-names';
import type { HttpApiTarget } from './http-api-urls';
import { isRefusedRequest } from '../page-bridge';
import * as natives from '../page-natives';

/** Asks the background for one answer: JSON text for a call, a data: URL for a status image. */
export type HttpApiAsk = (name: HttpApiName, body: string) => Promise<string>;

/** What a request to the component gets: an HTTP answer, or a failed request (nothing listening). */
export type HttpApiResponse = { readonly kind: 'answer'; readonly status: number; readonly contentType: string; readonly body: string } | { readonly kind: 'network-error' };

export interface HttpApiResponder {
  /** The response to a request for `target` with request body `body` ('' when none). */
  respond(target: HttpApiTarget, body: string): Promise<HttpApiResponse>;
  /** The data: URL of a status image, or undefined when the image must fail to load. */
  statusImage(image: StatusImage): Promise<string | undefined>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const NETWORK_ERROR: HttpApiResponse = { kind: 'network-error' };
const NOT_FOUND: HttpApiResponse = { kind: 'answer', status: 404, contentType: 'text/plain; charset=utf-8', body: 'Not Found' };
/** The component's "unknown command" answer, for a request the extension refuses as malformed. */
const BAD_REQUEST_BODY = `{"result":"${String(UNKNOWN_COMMAND_CODE)}"}`;

function answer(body: string): HttpApiResponse {
  return { kind: 'answer', status: 200, contentType: JSON_TYPE, body };
}

/** A responder over `ask`. */
export function createHttpApiResponder(ask: HttpApiAsk): HttpApiResponder {
  return {
    respond(target, body) {
      if (target.kind !== 'call') return natives.promiseThen(natives.resolved, () => NOT_FOUND);
      return natives.promiseThen(ask(target.call, body), answer, (error: unknown) => (isRefusedRequest(error) ? answer(BAD_REQUEST_BODY) : NETWORK_ERROR));
    },
    statusImage(image) {
      return natives.promiseThen(ask(image, ''), (url) => url, () => undefined);
    },
  };
}
