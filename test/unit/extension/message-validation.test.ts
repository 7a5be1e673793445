import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRequest, MAX_REQUEST_CHARS } from '../../../extension/shared/envelope';
import { ALL_ERROR_CODES } from '../../../native-host/protocol/error-codes';
import { checkPageRequest } from '../../../extension/content/page-request-check';
import { servePage, MAX_IN_FLIGHT_PER_FRAME, type PagePortLike } from '../../../extension/content/page-relay';
import type { BackgroundLink } from '../../../extension/content/background-link';
import { PAGE_METHODS } from '../../../extension/shared/page-method-names';
import { HTTP_API_NAMES } from '../../../extension/shared/nhiicc-http-names';
import { pageMethods, type PageMethod, type ResultOf } from '../../../extension/shared/page-methods';
import { FUZZ_RUNS } from '../../support/fuzz';

// The content script checks what a page sends by hand; the background checks it again with the
// schemas, as the authority. Both must accept and refuse alike and name the same field.
describe.each([
  ['the content script (by hand)', checkPageRequest],
  ['the background (schemas)', checkRequest],
])('validating requests from a page in %s', (_where, check) => {
  it.each([
    [{ kind: 'request', id: 1, method: 'readCard', params: {} }],
    [{ kind: 'request', id: 2, method: 'legacy', params: { line: 'GetBasic' } }],
    [{ kind: 'request', id: 2 ** 31 - 1, method: 'status', params: {} }],
    [{ kind: 'request', id: 3, method: 'legacy', params: { line: 'x'.repeat(4096) } }],
    [{ kind: 'request', id: 4, method: 'http', params: { name: 'GetCardStatus.bmp', body: '' } }],
    [{ kind: 'request', id: 5, method: 'http', params: { name: 'SignHC', body: 'x'.repeat(4096) } }],
  ])('accepts %j', (message) => {
    expect(check(message)).toEqual({ ok: true, value: message, id: message.id });
  });

  it.each([
    ['no envelope', 'GetBasic'],
    ['null', null],
    ['an array', [1]],
    ['an unknown method', { kind: 'request', id: 1, method: 'readAllCards', params: {} }],
    ['a method from the prototype', { kind: 'request', id: 1, method: 'toString', params: {} }],
    ['another kind', { kind: 'response', id: 1, method: 'readCard', params: {} }],
    ['extra fields', { kind: 'request', id: 1, method: 'readCard', params: {}, origin: 'https://cloudicweb.nhi.gov.tw' }],
    ['extra params', { kind: 'request', id: 1, method: 'readCard', params: { reader: 'x' } }],
    ['extra legacy params', { kind: 'request', id: 1, method: 'legacy', params: { line: 'GetBasic', reader: 'x' } }],
    ['no params', { kind: 'request', id: 1, method: 'readCard' }],
    ['a fractional id', { kind: 'request', id: 1.5, method: 'readCard', params: {} }],
    ['id zero', { kind: 'request', id: 0, method: 'readCard', params: {} }],
    ['an id past 2^31 - 1', { kind: 'request', id: 2 ** 31, method: 'readCard', params: {} }],
    ['a NaN id', { kind: 'request', id: Number.NaN, method: 'readCard', params: {} }],
    ['a string id', { kind: 'request', id: '1', method: 'readCard', params: {} }],
    ['a legacy line too long', { kind: 'request', id: 1, method: 'legacy', params: { line: 'x'.repeat(4097) } }],
    ['a non-string line', { kind: 'request', id: 1, method: 'legacy', params: { line: 42 } }],
    ['an unknown HTTP API name', { kind: 'request', id: 1, method: 'http', params: { name: 'GetAll', body: '' } }],
    ['an HTTP API name in another case', { kind: 'request', id: 1, method: 'http', params: { name: 'getversion', body: '' } }],
    ['an HTTP body too long', { kind: 'request', id: 1, method: 'http', params: { name: 'SignHC', body: 'x'.repeat(4097) } }],
    ['no HTTP body', { kind: 'request', id: 1, method: 'http', params: { name: 'SignHC' } }],
    ['extra HTTP params', { kind: 'request', id: 1, method: 'http', params: { name: 'SignHC', body: '', url: 'x' } }],
    ['a prototype key', JSON.parse('{"kind":"request","id":1,"method":"readCard","params":{"__proto__":{"x":1}}}') as unknown],
  ])('refuses %s with a clear error', (_name, message) => {
    const checked = check(message);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error.message).toMatch(/invalid|large|serialized/);
  });

  it.each([
    ['a legacy line too long', { kind: 'request', id: 1, method: 'legacy', params: { line: 'x'.repeat(4097) } }, 'invalid params.line: Too big: expected string to have <=4096 characters'],
    ['a non-string line', { kind: 'request', id: 1, method: 'legacy', params: { line: 42 } }, 'invalid params.line: Invalid input: expected string, received number'],
    ['a missing line', { kind: 'request', id: 1, method: 'legacy', params: {} }, 'invalid params.line: Invalid input: expected string, received undefined'],
    ['a fractional id', { kind: 'request', id: 1.5, method: 'readCard', params: {} }, 'invalid id: Invalid input: expected int, received number'],
    ['id zero', { kind: 'request', id: 0, method: 'readCard', params: {} }, 'invalid id: Too small: expected number to be >=1'],
    ['an id past 2^31 - 1', { kind: 'request', id: 2 ** 31, method: 'readCard', params: {} }, 'invalid id: Too big: expected number to be <=2147483647'],
    ['a string id', { kind: 'request', id: '1', method: 'readCard', params: {} }, 'invalid id: Invalid input: expected number, received string'],
    ['another kind', { kind: 'response', id: 1, method: 'readCard', params: {} }, 'invalid kind: Invalid input: expected "request"'],
    ['an unknown method', { kind: 'request', id: 1, method: 'readAllCards', params: {} }, "invalid method: Invalid discriminator value. Expected 'warm' | 'status' | 'readCard' | 'legacyOpen' | 'legacy' | 'http' | 'subscribe' | 'unsubscribe'"],
    ['extra params', { kind: 'request', id: 1, method: 'readCard', params: { reader: 'x' } }, 'invalid params: Unrecognized key: "reader"'],
    ['two extra fields', { kind: 'request', id: 1, method: 'readCard', params: {}, a: 1, b: 2 }, 'invalid message: Unrecognized keys: "a", "b"'],
    ['params that are a string', { kind: 'request', id: 1, method: 'status', params: 'x' }, 'invalid params: Invalid input: expected object, received string'],
    ['no envelope', 'GetBasic', 'invalid message: Invalid input: expected object, received string'],
    ['null', null, 'invalid message: Invalid input: expected object, received null'],
    ['an unknown HTTP API name', { kind: 'request', id: 1, method: 'http', params: { name: 'GetAll', body: '' } }, 'invalid params.name: Invalid option: expected one of "GetVersion"|"GetRandom"|"GetBasic"|"SignHC"|"EncryptPwd"|"GetEncryptBasic"|"GetStatus.bmp"|"GetCardStatus.bmp"'],
  ])('names the field that is wrong with %s (the background says in English what is wrong with it)', (_name, message, text) => {
    const expected = check === checkRequest ? text : text.slice(0, text.indexOf(':'));
    expect(check(message)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expected } });
  });

  it('refuses oversized and unserializable messages before parsing them', () => {
    const huge = check({ kind: 'request', id: 9, method: 'legacy', params: { line: 'x'.repeat(MAX_REQUEST_CHARS) } });
    expect(huge).toMatchObject({ ok: false, id: 9, error: { code: 'FRAME_TOO_LARGE' } });
    const cyclic: Record<string, unknown> = { kind: 'request', id: 3 };
    cyclic.self = cyclic;
    expect(check(cyclic)).toMatchObject({ ok: false });
    expect(check({ id: 10n })).toMatchObject({ ok: false });
  });

  it('keeps the id of a malformed request so the page can be answered', () => {
    expect(check({ kind: 'request', id: 42, method: 'nope', params: {} })).toMatchObject({ ok: false, id: 42 });
  });

  it('hands on a fresh envelope, not the object it was given', () => {
    const message = { kind: 'request', id: 7, method: 'legacy', params: { line: 'GetBasic' } };
    const checked = check(message);
    expect(checked.ok && checked.value !== message && checked.value.params !== message.params).toBe(true);
  });

  it('never throws on arbitrary input, and always names a known error code', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }), (value) => {
        const checked = check(value);
        if (!checked.ok) {
          expect(ALL_ERROR_CODES).toContain(checked.error.code);
          expect(checked.error.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('never throws on request-shaped input with arbitrary parts', () => {
    const method = fc.oneof(fc.constantFrom('status', 'readCard', 'legacy', 'subscribe', 'warm'), fc.string());
    fc.assert(
      fc.property(fc.record({ kind: fc.oneof(fc.constant('request'), fc.anything()), id: fc.oneof(fc.integer(), fc.anything()), method, params: fc.anything() }, { requiredKeys: [] }), (value) => {
        const checked = check(value);
        expect(typeof checked.ok).toBe('boolean');
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('the two request checks', () => {
  it('know the same methods', () => {
    expect([...PAGE_METHODS]).toEqual(Object.keys(pageMethods));
  });

  it('agree on every request-shaped input: same verdict, same id, the same field named', () => {
    const line = fc.oneof(fc.string({ maxLength: 20 }), fc.constant('x'.repeat(4097)), fc.anything());
    const name = fc.oneof(fc.constantFrom(...HTTP_API_NAMES), fc.string({ maxLength: 10 }), fc.anything());
    const params = fc.oneof(
      fc.constant({}),
      fc.record({ line }, { requiredKeys: [] }),
      fc.record({ name, body: line }, { requiredKeys: [] }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.anything(), { maxKeys: 2 }),
      fc.anything(),
    );
    const id = fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 31), fc.anything());
    const method = fc.oneof(fc.constantFrom(...PAGE_METHODS), fc.string({ maxLength: 10 }));
    const kind = fc.oneof(fc.constant('request'), fc.anything());
    const extra = fc.dictionary(fc.constantFrom('origin', 'x'), fc.anything(), { maxKeys: 1 });
    fc.assert(
      fc.property(fc.record({ kind, id, method, params }, { requiredKeys: [] }), extra, (fields, more) => {
        const message = { ...fields, ...more };
        const byHand = checkPageRequest(message);
        const bySchema = checkRequest(message);
        if (byHand.ok || bySchema.ok) {
          expect(byHand).toEqual(bySchema);
          return;
        }
        // The background's words start with the field the content script names: "invalid id: Too small...".
        expect({ ...byHand, error: byHand.error.code }).toEqual({ ...bySchema, error: bySchema.error.code });
        expect(`${bySchema.error.message}:`.startsWith(`${byHand.error.message}:`)).toBe(true);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

/** A page port that records what the relay posts. */
function fakePagePort(): PagePortLike & { posted: unknown[]; send(data: unknown): void } {
  const port = {
    posted: [] as unknown[],
    onmessage: null as ((event: MessageEvent) => void) | null,
    postMessage(message: unknown) {
      port.posted.push(message);
    },
    send(data: unknown) {
      port.onmessage?.(new MessageEvent('message', { data }));
    },
  };
  return port;
}

/** A background link that never answers, recording the calls. */
function pendingLink(): BackgroundLink & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    call<M extends PageMethod>(method: M): Promise<ResultOf<M>> {
      calls.push(method);
      return new Promise(() => undefined);
    },
    onEvent: () => undefined,
  };
}

describe('the content script relay', () => {
  it('says ready, refuses malformed requests and methods pages may not call', () => {
    const port = fakePagePort();
    const link = pendingLink();
    servePage(port, link, true);
    expect(port.posted).toEqual([{ kind: 'ready' }]);
    port.send({ kind: 'request', id: 5, method: 'warm', params: {} });
    port.send({ kind: 'request', id: 6, method: 'status', params: { extra: true } });
    port.send('GetBasic');
    expect(port.posted.slice(1)).toMatchObject([
      { kind: 'response', id: 5, ok: false, error: { code: 'INVALID_REQUEST' } },
      { kind: 'response', id: 6, ok: false, error: { code: 'INVALID_REQUEST' } },
    ]);
    expect(link.calls).toEqual([]);
  });

  it('refuses every request from a frame that is not servable', () => {
    const port = fakePagePort();
    const link = pendingLink();
    servePage(port, link, false);
    port.send({ kind: 'request', id: 1, method: 'readCard', params: {} });
    expect(port.posted[1]).toMatchObject({ id: 1, ok: false, error: { code: 'ORIGIN_NOT_ALLOWED' } });
    expect(link.calls).toEqual([]);
  });

  it('caps the requests one frame may have in flight', () => {
    const port = fakePagePort();
    const link = pendingLink();
    servePage(port, link, true);
    for (let id = 1; id <= MAX_IN_FLIGHT_PER_FRAME + 1; id++) port.send({ kind: 'request', id, method: 'status', params: {} });
    expect(link.calls).toHaveLength(MAX_IN_FLIGHT_PER_FRAME);
    expect(port.posted.at(-1)).toMatchObject({ id: MAX_IN_FLIGHT_PER_FRAME + 1, ok: false, error: { code: 'TOO_MANY_REQUESTS' } });
  });
});
