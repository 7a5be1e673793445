/**
 * The one check of what a page sends, where it enters the extension: written by hand, because a
 * schema library would be injected into every trusted frame for these few shapes. It accepts
 * exactly what the background's schema (shared/envelope.ts) accepts and names the same field; the
 * background, as the authority, checks again and says in more words what is wrong. It hands on a
 * fresh envelope, never the page's object.
 */
import { MAX_LEGACY_LINE_LENGTH } from '../../native-host/protocol/limits';
import { HTTP_API_NAMES, MAX_HTTP_BODY_LENGTH, type HttpApiName } from '../shared/nhiicc-http-names';
import { MAX_REQUEST_ID, requestIdOf, sizeRefusal, type Checked, type RequestEnvelope } from '../shared/page-envelopes';
import { PAGE_METHODS } from '../shared/page-method-names';
import type { PageMethod } from '../shared/page-methods';

/** A failed check; its message is the path of the field that failed ("id", "params.line"). */
class Refusal extends Error {}

/** Fails with `where` unless `ok`. */
function demand(ok: boolean, where: string): void {
  if (!ok) throw new Refusal(where);
}

function record(value: unknown, where: string): Record<string, unknown> {
  demand(typeof value === 'object' && value !== null && !Array.isArray(value), where);
  return value as Record<string, unknown>;
}

/** Refuses keys beyond `allowed`, once the known fields have passed. */
function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  demand(Object.keys(value).every((key) => allowed.includes(key)), where);
}

function isOneOf<T>(list: readonly T[], value: unknown): value is T {
  return (list as readonly unknown[]).includes(value);
}

/** A string field of `params` no longer than `max`. */
function boundedString(params: Record<string, unknown>, field: string, max: number): string {
  const value = params[field];
  demand(typeof value === 'string' && value.length <= max, `params.${field}`);
  return value as string;
}

/** The params of `method`, copied field by field. */
function paramsOf(method: PageMethod, value: unknown): RequestEnvelope['params'] {
  const params = record(value, 'params');
  if (method === 'legacy') {
    const line = boundedString(params, 'line', MAX_LEGACY_LINE_LENGTH);
    onlyKeys(params, ['line'], 'params');
    return { line };
  }
  if (method === 'http') {
    const name = params.name;
    demand(isOneOf(HTTP_API_NAMES, name), 'params.name');
    const body = boundedString(params, 'body', MAX_HTTP_BODY_LENGTH);
    onlyKeys(params, ['name', 'body'], 'params');
    return { name: name as HttpApiName, body };
  }
  onlyKeys(params, [], 'params');
  return {};
}

function envelopeOf(value: unknown): RequestEnvelope {
  const message = record(value, 'message');
  const { method, id } = message;
  demand(isOneOf(PAGE_METHODS, method), 'method');
  demand(message.kind === 'request', 'kind');
  demand(Number.isInteger(id) && (id as number) >= 1 && (id as number) <= MAX_REQUEST_ID, 'id');
  const params = paramsOf(method as PageMethod, message.params);
  onlyKeys(message, ['kind', 'id', 'method', 'params'], 'message');
  return { kind: 'request', id, method, params } as RequestEnvelope;
}

/**
 * Validates what the page sent as a request. Never throws: a bad value gives an error that names
 * the field that is wrong (without echoing it), plus the request id when one could be read.
 */
export function checkPageRequest(value: unknown): Checked<RequestEnvelope> & { id?: number } {
  const tooLarge = sizeRefusal(value);
  if (tooLarge !== undefined) return tooLarge;
  try {
    const envelope = envelopeOf(value);
    return { ok: true, value: envelope, id: envelope.id };
  } catch (refusal) {
    const where = refusal instanceof Refusal ? refusal.message : 'message';
    return { ok: false, error: { code: 'INVALID_REQUEST', message: `invalid ${where}` }, ...requestIdOf(value) };
  }
}
