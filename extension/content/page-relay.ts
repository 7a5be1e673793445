/**
 * Serves the page's end of the private channel: every message from the page is size-capped and
 * validated (./page-request-check.ts), only page-callable methods pass, and each request is
 * answered exactly once. Answers come from our background, which checked them against the
 * protocol map, and pass as they are.
 */
import { ExtensionError, type WireError } from '../shared/extension-error';
import type { ResponseEnvelope } from '../shared/page-envelopes';
import { PAGE_CALLABLE_METHODS, type PageCallableMethod } from '../shared/page-method-names';
import type { BackgroundLink } from './background-link';
import { checkPageRequest } from './page-request-check';

/** Requests one frame may have in flight; a page looping on requests gets TOO_MANY_REQUESTS. */
export const MAX_IN_FLIGHT_PER_FRAME = 16;

/** The part of MessagePort the relay uses. */
export interface PagePortLike {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

function isPageCallable(method: string): method is PageCallableMethod {
  return (PAGE_CALLABLE_METHODS as readonly string[]).includes(method);
}

/**
 * Answers the page over `pagePort`. When the frame is not servable, every request is refused with
 * ORIGIN_NOT_ALLOWED, so the page learns why instead of waiting.
 */
export function servePage(pagePort: PagePortLike, link: BackgroundLink, servable: boolean): void {
  let inFlight = 0;
  let subscribed = false;

  const reply = (message: ResponseEnvelope) => {
    pagePort.postMessage(message);
  };
  const fail = (id: number, error: WireError) => {
    reply({ kind: 'response', id, ok: false, error });
  };

  link.onEvent((event) => {
    if (subscribed) pagePort.postMessage({ kind: 'event', event });
  });

  pagePort.onmessage = (message: MessageEvent) => {
    const checked = checkPageRequest(message.data);
    if (!checked.ok) {
      if (checked.id !== undefined) fail(checked.id, checked.error);
      return;
    }
    const request = checked.value;
    if (!isPageCallable(request.method)) {
      fail(request.id, { code: 'INVALID_REQUEST', message: `method ${request.method} is not available to pages` });
      return;
    }
    if (!servable) {
      fail(request.id, { code: 'ORIGIN_NOT_ALLOWED', message: 'this frame is not a trusted HTTPS origin' });
      return;
    }
    if (inFlight >= MAX_IN_FLIGHT_PER_FRAME) {
      fail(request.id, { code: 'TOO_MANY_REQUESTS', message: `more than ${MAX_IN_FLIGHT_PER_FRAME} requests pending` });
      return;
    }
    if (request.method === 'subscribe') subscribed = true;
    if (request.method === 'unsubscribe') subscribed = false;
    inFlight += 1;
    link.call(request.method, request.params).then(
      (value) => {
        inFlight -= 1;
        reply({ kind: 'response', id: request.id, ok: true, value });
      },
      (error: unknown) => {
        inFlight -= 1;
        fail(request.id, wireErrorOf(error));
      },
    );
  };
  pagePort.postMessage({ kind: 'ready' });
}

/** The link rejects only with ExtensionError (see ./background-link.ts); anything else is a bug of ours. */
function wireErrorOf(error: unknown): WireError {
  return error instanceof ExtensionError ? error.toWire() : { code: 'INTERNAL', message: 'the content script failed' };
}
