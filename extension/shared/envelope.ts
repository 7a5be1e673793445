/**
 * The background's schemas for the envelopes of ./page-envelopes.ts: what a content script sends
 * is checked here once more, as the authority (a compromised renderer could send anything), and
 * each result is checked against what its method promises before it leaves for the page. The size
 * is checked first, then the shape; anything malformed gets a clear error instead of a throw.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { NhiCardError, type WireError } from '../../native-host/protocol/nhi-card-error';
import { pageMethods, type PageMethod } from './page-methods';
import { MAX_REQUEST_ID, requestIdOf, sizeRefusal, type Checked, type RequestEnvelope } from './page-envelopes';

export { MAX_REQUEST_CHARS, type RequestEnvelope, type ResponseEnvelope } from './page-envelopes';

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
  requestOf('http'),
  requestOf('subscribe'),
  requestOf('unsubscribe'),
]);

/**
 * Validates something that claims to be a request. Never throws: a bad value gives an error that
 * says what is wrong, plus the request id when one could be read (so the sender can be answered).
 */
export function checkRequest(value: unknown): Checked<RequestEnvelope> & { id?: number } {
  const tooLarge = sizeRefusal(value);
  if (tooLarge !== undefined) return tooLarge;
  const parsed = requestEnvelopeSchema.safeParse(value, englishMessages);
  if (!parsed.success) return { ...invalid(describeIssue(parsed.error)), ...requestIdOf(value) };
  return { ok: true, value: parsed.data as RequestEnvelope, id: parsed.data.id };
}

/** Checks a response's value against what the method promises; a mismatch is an error, not data. */
export function checkResult<M extends PageMethod>(method: M, value: unknown): z.infer<(typeof pageMethods)[M]['result']> {
  const parsed = pageMethods[method].result.safeParse(value, englishMessages);
  if (!parsed.success) throw new NhiCardError(ErrorCode.Internal, `malformed ${method} result: ${describeIssue(parsed.error)}`);
  return parsed.data as z.infer<(typeof pageMethods)[M]['result']>;
}

function invalid(message: string): { ok: false; error: WireError } {
  return { ok: false, error: { code: ErrorCode.InvalidRequest, message } };
}

/** The first issue, in words, without echoing the (possibly huge or personal) input. */
function describeIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid message';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'message';
  return `invalid ${where}: ${issue.message}`.slice(0, 200);
}
