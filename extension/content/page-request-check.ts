/**
 * The one check of what a page sends, where it enters the extension: written by hand, because a
 * schema library would be injected into every trusted frame for these few shapes. It accepts
 * exactly what the background's schema (shared/envelope.ts) accepts, says what is wrong in the
 * same words, and hands on a fresh envelope, never the page's object.
 */
import { MAX_LEGACY_LINE_LENGTH } from '../../native-host/protocol/limits';
import type { WireError } from '../../native-host/protocol/nhi-card-error';
import { MAX_REQUEST_CHARS, MAX_REQUEST_ID, requestIdOf, serializedLength, type Checked, type RequestEnvelope } from '../shared/page-envelopes';
import { PAGE_METHODS } from '../shared/page-method-names';
import type { PageMethod } from '../shared/page-methods';

const ENVELOPE_KEYS: readonly string[] = ['kind', 'id', 'method', 'params'];

/** A failed check: `where` is the field's path, the message the reason. */
class Refusal extends Error {
  constructor(
    readonly where: string,
    what: string,
  ) {
    super(what);
  }
}

/** The type name a message names ("received string"), as the background's schema does. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // NaN, Infinity, -Infinity
  return typeof value;
}

/** The schema's words for a value of the wrong type. */
function wrongType(where: string, expected: string, value: unknown): Refusal {
  return new Refusal(where, `Invalid input: expected ${expected}, received ${typeName(value)}`);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrongType(where, 'object', value);
  return value as Record<string, unknown>;
}

/** Refuses keys beyond `allowed`, once the known fields have passed. */
function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const extra = Object.keys(value).filter((key) => !allowed.includes(key));
  if (extra.length === 0) return;
  const quoted = extra.map((key) => `"${key}"`).join(', ');
  throw new Refusal(where, extra.length === 1 ? `Unrecognized key: ${quoted}` : `Unrecognized keys: ${quoted}`);
}

function requestId(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType('id', 'number', value);
  if (!Number.isInteger(value)) throw wrongType('id', 'int', value);
  if (value > Number.MAX_SAFE_INTEGER) throw new Refusal('id', `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`);
  if (value < Number.MIN_SAFE_INTEGER) throw new Refusal('id', `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`);
  if (value < 1) throw new Refusal('id', 'Too small: expected number to be >=1');
  if (value > MAX_REQUEST_ID) throw new Refusal('id', `Too big: expected number to be <=${MAX_REQUEST_ID}`);
  return value;
}

function isPageMethod(value: unknown): value is PageMethod {
  return (PAGE_METHODS as readonly unknown[]).includes(value);
}

/** The params of `method`, copied field by field. */
function paramsOf(method: PageMethod, value: unknown): RequestEnvelope['params'] {
  const params = record(value, 'params');
  if (method !== 'legacy') {
    onlyKeys(params, [], 'params');
    return {};
  }
  const line = params.line;
  if (typeof line !== 'string') throw wrongType('params.line', 'string', line);
  if (line.length > MAX_LEGACY_LINE_LENGTH) throw new Refusal('params.line', `Too big: expected string to have <=${MAX_LEGACY_LINE_LENGTH} characters`);
  onlyKeys(params, ['line'], 'params');
  return { line };
}

function envelopeOf(value: unknown): RequestEnvelope {
  const message = record(value, 'message');
  if (!isPageMethod(message.method)) throw new Refusal('method', `Invalid discriminator value. Expected ${PAGE_METHODS.map((method) => `'${method}'`).join(' | ')}`);
  if (message.kind !== 'request') throw new Refusal('kind', 'Invalid input: expected "request"');
  const id = requestId(message.id);
  const params = paramsOf(message.method, message.params);
  onlyKeys(message, ENVELOPE_KEYS, 'message');
  return { kind: 'request', id, method: message.method, params } as RequestEnvelope;
}

/**
 * Validates what the page sent as a request. Never throws: a bad value gives an error that says
 * what is wrong (without echoing it), plus the request id when one could be read.
 */
export function checkPageRequest(value: unknown): Checked<RequestEnvelope> & { id?: number } {
  const length = serializedLength(value);
  if (length === undefined) return refused('INVALID_REQUEST', 'the request cannot be serialized');
  if (length > MAX_REQUEST_CHARS) return { ...refused('FRAME_TOO_LARGE', `the request is larger than ${MAX_REQUEST_CHARS} characters`), ...requestIdOf(value) };
  try {
    const envelope = envelopeOf(value);
    return { ok: true, value: envelope, id: envelope.id };
  } catch (error) {
    const reason = error instanceof Refusal ? `invalid ${error.where}: ${error.message}` : 'invalid message';
    return { ...refused('INVALID_REQUEST', reason.slice(0, 200)), ...requestIdOf(value) };
  }
}

function refused(code: WireError['code'], message: string): { ok: false; error: WireError } {
  return { ok: false, error: { code, message } };
}
