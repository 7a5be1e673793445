/**
 * The envelopes that carry page methods over both hops (page <-> content script over a private
 * MessageChannel, content script <-> background over a runtime port). Each receiver checks the size
 * first, then the shape, and answers anything malformed with a clear error instead of throwing.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { ExtensionError, fromWireError, wireErrorSchema, type WireError } from './extension-error';
import { cardEventSchema, pageMethods, type CardEvent, type PageMethod, type ParamsOf } from './page-methods';

/** Requests are tiny; the largest is a legacy line of at most 4096 characters. */
export const MAX_REQUEST_CHARS = 8 * 1024;
/** Responses carry at most an identity, a status or a legacy reply. */
export const MAX_RESPONSE_CHARS = 64 * 1024;
export const MAX_REQUEST_ID = 2 ** 31 - 1;

/** zod/mini carries no message text; the issue messages we pass on are the English ones classic zod gave. */
const englishMessages = { error: en().localeError };

const requestId = z.number().check(z.int(), z.gte(1), z.lte(MAX_REQUEST_ID));

function requestOf<M extends PageMethod>(method: M) {
  return z.strictObject({ kind: z.literal('request'), id: requestId, method: z.literal(method), params: pageMethods[method].params });
}

export const requestEnvelopeSchema = z.discriminatedUnion('method', [
  requestOf('warm'),
  requestOf('status'),
  requestOf('readCard'),
  requestOf('legacyOpen'),
  requestOf('legacy'),
  requestOf('subscribe'),
  requestOf('unsubscribe'),
]);

/** A request for one method, typed by the protocol map. */
export type RequestEnvelope = { [M in PageMethod]: { kind: 'request'; id: number; method: M; params: ParamsOf<M> } }[PageMethod];

export const responseEnvelopeSchema = z.union([
  z.strictObject({ kind: z.literal('response'), id: requestId, ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ kind: z.literal('response'), id: requestId, ok: z.literal(false), error: wireErrorSchema }),
]);
export type ResponseEnvelope = { kind: 'response'; id: number; ok: true; value: unknown } | { kind: 'response'; id: number; ok: false; error: WireError };

export const eventEnvelopeSchema = z.strictObject({ kind: z.literal('event'), event: cardEventSchema });
export interface EventEnvelope {
  kind: 'event';
  event: CardEvent;
}

/** Sent once by the content script over the private channel when it has accepted it. */
export const readyEnvelopeSchema = z.strictObject({ kind: z.literal('ready') });

/** Everything the content script may send to the page. */
export const toPageEnvelopeSchema = z.union([responseEnvelopeSchema, eventEnvelopeSchema, readyEnvelopeSchema]);
export type ToPageEnvelope = z.infer<typeof toPageEnvelopeSchema>;

/** Everything the background may send to a content script. */
export const toContentEnvelopeSchema = z.union([responseEnvelopeSchema, eventEnvelopeSchema]);
export type ToContentEnvelope = z.infer<typeof toContentEnvelopeSchema>;

/** The serialized length of a value, or undefined when it cannot be serialized (cycles, BigInt). */
export function serializedLength(value: unknown): number | undefined {
  try {
    const text = JSON.stringify(value) as string | undefined;
    return text?.length;
  } catch {
    return undefined;
  }
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: WireError };

/**
 * Validates something that claims to be a request. Never throws: a bad value gives an error that
 * says what is wrong, plus the request id when one could be read (so the sender can be answered).
 */
export function checkRequest(value: unknown): Checked<RequestEnvelope> & { id?: number } {
  const length = serializedLength(value);
  if (length === undefined) return invalid('the request cannot be serialized');
  if (length > MAX_REQUEST_CHARS) return { ...invalid(`the request is larger than ${MAX_REQUEST_CHARS} characters`, ErrorCode.FrameTooLarge), ...idOf(value) };
  const parsed = requestEnvelopeSchema.safeParse(value, englishMessages);
  if (!parsed.success) return { ...invalid(describeIssue(parsed.error)), ...idOf(value) };
  return { ok: true, value: parsed.data as RequestEnvelope, id: parsed.data.id };
}

/** Validates a message to the page or content script against a schema, with the response size cap. */
export function checkIncoming<T>(schema: z.ZodMiniType<T>, value: unknown): Checked<T> {
  const length = serializedLength(value);
  if (length === undefined || length > MAX_RESPONSE_CHARS) return invalid('the message is too large or cannot be serialized', ErrorCode.FrameTooLarge);
  const parsed = schema.safeParse(value, englishMessages);
  return parsed.success ? { ok: true, value: parsed.data } : invalid(describeIssue(parsed.error));
}

/** Checks a response's value against what the method promises; a mismatch is an error, not data. */
export function checkResult<M extends PageMethod>(method: M, value: unknown): z.infer<(typeof pageMethods)[M]['result']> {
  const parsed = pageMethods[method].result.safeParse(value, englishMessages);
  if (!parsed.success) throw new ExtensionError(ErrorCode.Internal, `malformed ${method} result: ${describeIssue(parsed.error)}`);
  return parsed.data as z.infer<(typeof pageMethods)[M]['result']>;
}

/** A call waiting for its response, on either hop. */
export interface AwaitedCall {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** Settles `call` with `response`: the wire error it carries, or its value checked against what `method` promises. */
export function settleResponse(call: AwaitedCall, method: PageMethod, response: ResponseEnvelope): void {
  if (!response.ok) {
    call.reject(fromWireError(response.error));
    return;
  }
  try {
    call.resolve(checkResult(method, response.value));
  } catch (error) {
    call.reject(error instanceof Error ? error : new ExtensionError(ErrorCode.Internal, String(error)));
  }
}

function idOf(value: unknown): { id?: number } {
  if (typeof value !== 'object' || value === null) return {};
  const id = (value as Record<string, unknown>).id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= MAX_REQUEST_ID ? { id } : {};
}

function invalid(message: string, code: WireError['code'] = ErrorCode.InvalidRequest): { ok: false; error: WireError } {
  return { ok: false, error: { code, message } };
}

/** The first issue, in words, without echoing the (possibly huge or personal) input. */
function describeIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid message';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'message';
  return `invalid ${where}: ${issue.message}`.slice(0, 200);
}
