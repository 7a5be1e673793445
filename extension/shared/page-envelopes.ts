/**
 * The envelopes that carry page methods over both hops (page <-> content script over a private
 * MessageChannel, content script <-> background over a runtime port), their caps and the serialized
 * length the caps are judged by. No schema library here: the content script checks the page's
 * requests by hand (extension/content/page-request-check.ts); the background's schemas, which stay
 * the authority for what reaches it, are in ./envelope.ts.
 */
import { NhiCardError, type WireError } from '../../native-host/protocol/nhi-card-error';
import type { CardEvent, PageMethod, ParamsOf } from './page-methods';
import { MAX_REQUEST_ID, type RequestCore } from './request-core';

/** Requests are tiny; the largest is a legacy line of at most 4096 characters. */
export const MAX_REQUEST_CHARS = 8 * 1024;
/** Ids are numbered by the request core, which wraps them at this cap. */
export { MAX_REQUEST_ID };

/** A request for one method, typed by the protocol map. */
export type RequestEnvelope = { [M in PageMethod]: { kind: 'request'; id: number; method: M; params: ParamsOf<M> } }[PageMethod];

export type ResponseEnvelope = { kind: 'response'; id: number; ok: true; value: unknown } | { kind: 'response'; id: number; ok: false; error: WireError };

/**
 * A response or event as the page bridge and the content script's link read it, field by field.
 * Only our own code posts on either hop, and the background checked each result before sending it.
 */
export interface ArrivingEnvelope {
  readonly kind?: unknown;
  readonly id?: unknown;
  readonly ok?: unknown;
  readonly value?: unknown;
  readonly error?: WireError;
  readonly event?: CardEvent;
}

/**
 * Reads one arriving message the same way on both hops: an event goes to every listener, a response
 * settles the request it names (once: `take` forgets it), anything else ('ready', unknown ids,
 * non-objects) is ignored.
 */
export function settleArriving(data: unknown, requests: Pick<RequestCore<unknown>, 'take'>, eventListeners: readonly ((event: CardEvent) => void)[]): void {
  if (typeof data !== 'object' || data === null) return;
  const message = data as ArrivingEnvelope;
  if (message.kind === 'event') {
    const event = message.event;
    // An index loop: in the page world, for...of would run a page-replaceable Array iterator.
    // eslint-disable-next-line @typescript-eslint/prefer-for-of
    if (event !== undefined) for (let index = 0; index < eventListeners.length; index += 1) eventListeners[index]?.(event);
    return;
  }
  if (message.kind !== 'response' || typeof message.id !== 'number') return;
  const request = requests.take(message.id);
  if (request === undefined) return;
  if (message.ok === true) request.resolve(message.value);
  else request.reject(responseError(message.error));
}

/** The error a failed response carries, as the background wrote it (NhiCardError.toWire). */
function responseError(wire: WireError | undefined): NhiCardError {
  if (wire === undefined) return new NhiCardError('EXTENSION_UNAVAILABLE', 'the extension sent a malformed reply; reload the page');
  return new NhiCardError(wire.code, wire.message);
}

/** The outcome of checking a message: the value, or an error that says what is wrong. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** The serialized length of a value, or undefined when it cannot be serialized (cycles, BigInt). */
function serializedLength(value: unknown): number | undefined {
  try {
    const text = JSON.stringify(value) as string | undefined;
    return text?.length;
  } catch {
    return undefined;
  }
}

/** A request id, when `value` carries a valid one, so a malformed request can still be answered. */
export function requestIdOf(value: unknown): { id?: number } {
  if (typeof value !== 'object' || value === null) return {};
  const id = (value as Record<string, unknown>).id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= MAX_REQUEST_ID ? { id } : {};
}

/**
 * The first check of a request, on both sides (content script and background), before its shape:
 * the refusal of a value that cannot be serialized or is larger than MAX_REQUEST_CHARS, with the
 * request id when one could be read; undefined when its size is fine.
 */
export function sizeRefusal(value: unknown): ({ ok: false; error: WireError } & { id?: number }) | undefined {
  const length = serializedLength(value);
  if (length === undefined) return { ok: false, error: { code: 'INVALID_REQUEST', message: 'the request cannot be serialized' } };
  if (length > MAX_REQUEST_CHARS) return { ok: false, error: { code: 'FRAME_TOO_LARGE', message: `the request is larger than ${MAX_REQUEST_CHARS} characters` }, ...requestIdOf(value) };
  return undefined;
}
