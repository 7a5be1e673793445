/**
 * Answers the HTTP API in the page: each call becomes the legacy line the WebSocket shim would
 * send (same host commands, same consent), each reply the JSON the library reads. When the
 * extension or the host cannot be reached, the request fails like a request to a component that
 * is not running, so the library reports its own "component not installed" message.
 */
import { ExtensionError } from '../../shared/extension-error';
import type { PageStatus } from '../../shared/page-methods';
import { answerFor, legacyLineFor, RESULT_BAD_REQUEST, RESULT_OK, type HttpApiAnswer } from './http-api-answers';
import type { HttpApiTarget, StatusImage } from './http-api-urls';
import { asciiJson } from './status-bitmap';

/** The extension side the HTTP API needs: the legacy socket's two calls, and card status. */
export interface HttpApiLink {
  /** Resolves when the host is reachable; rejects when it is not. */
  open(): Promise<void>;
  /** Sends one NHIICC line; resolves with the reply text (numeric codes included). */
  send(line: string): Promise<string>;
  /** Host, readers and card presence; no card data, no consent. */
  status(): Promise<PageStatus>;
}

/** What a request to the component gets: an HTTP answer, or a failed request (nothing listening). */
export type HttpApiResponse = { readonly kind: 'answer'; readonly status: number; readonly contentType: string; readonly body: string } | { readonly kind: 'network-error' };

/** JSON.parse and JSON.stringify as captured at start-up, before any page script ran. */
export interface JsonCodec {
  readonly parse: (text: string) => unknown;
  readonly stringify: (value: unknown) => string;
}

export interface HttpApiResponder {
  /** The response to a request for `target` with request body `body` ('' when none). */
  respond(target: HttpApiTarget, body: string): Promise<HttpApiResponse>;
  /** The JSON text a status image carries (ASCII only), or undefined when the image must fail to load. */
  statusText(image: StatusImage): Promise<string | undefined>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const NETWORK_ERROR: HttpApiResponse = { kind: 'network-error' };
const NOT_FOUND: HttpApiResponse = { kind: 'answer', status: 404, contentType: 'text/plain; charset=utf-8', body: 'Not Found' };
/** The NHIICC code for "no NHI card present", as the WebSocket commands report it. */
const NO_CARD = '7004';

/**
 * The card status JSON's `result`: ready, or no card. Never 7002 (no reader): before consent the
 * background withholds the reader list (page-router.ts), so an empty list proves nothing.
 */
export function cardStatusResult(status: PageStatus): string {
  return status.cardPresent ? RESULT_OK : NO_CARD;
}

/** A responder over `link`; `json` are the JSON functions captured at start-up. */
export function createHttpApiResponder(link: HttpApiLink, json: JsonCodec): HttpApiResponder {
  // Like the WebSocket shim's open: asked once, asked again after a failure (the host may come up).
  let opened: Promise<void> | undefined;
  const ensureOpen = async (): Promise<boolean> => {
    opened ??= link.open();
    try {
      await opened;
      return true;
    } catch {
      opened = undefined;
      return false;
    }
  };
  const answer = (value: HttpApiAnswer): HttpApiResponse => ({ kind: 'answer', status: 200, contentType: JSON_TYPE, body: json.stringify(value) });

  return {
    async respond(target, body) {
      if (target.kind !== 'call') return NOT_FOUND;
      if (!(await ensureOpen())) return NETWORK_ERROR;
      const line = legacyLineFor(target.call, body, json.parse);
      if (line === undefined) return answer({ result: RESULT_BAD_REQUEST });
      try {
        return answer(answerFor(target.call, await link.send(line)));
      } catch (error) {
        if (error instanceof ExtensionError && (error.code === 'INVALID_REQUEST' || error.code === 'FRAME_TOO_LARGE')) {
          return answer({ result: RESULT_BAD_REQUEST });
        }
        // The extension went away under us: to the page, the component stopped answering.
        return NETWORK_ERROR;
      }
    },
    async statusText(image) {
      if (!(await ensureOpen())) return undefined;
      if (image === 'GetStatus.bmp') return asciiJson(json.stringify({ result: RESULT_OK }));
      try {
        return asciiJson(json.stringify({ result: cardStatusResult(await link.status()) }));
      } catch {
        return undefined;
      }
    },
  };
}
