import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIncoming, checkRequest, MAX_REQUEST_CHARS, toPageEnvelopeSchema } from '../../../extension/shared/envelope';
import { ALL_ERROR_CODES } from '../../../extension/shared/extension-error-codes';
import { servePage, MAX_IN_FLIGHT_PER_FRAME, type PagePortLike } from '../../../extension/content/page-relay';
import type { BackgroundLink } from '../../../extension/content/background-link';
import type { PageMethod, ResultOf } from '../../../extension/shared/page-methods';
import { FUZZ_RUNS } from '../../support/fuzz';

describe('validating requests from a page', () => {
  it.each([
    [{ kind: 'request', id: 1, method: 'readCard', params: {} }],
    [{ kind: 'request', id: 2, method: 'legacy', params: { line: 'GetBasic' } }],
    [{ kind: 'request', id: 2 ** 31 - 1, method: 'status', params: {} }],
  ])('accepts %j', (message) => {
    expect(checkRequest(message).ok).toBe(true);
  });

  it.each([
    ['no envelope', 'GetBasic'],
    ['null', null],
    ['an unknown method', { kind: 'request', id: 1, method: 'readAllCards', params: {} }],
    ['extra fields', { kind: 'request', id: 1, method: 'readCard', params: {}, origin: 'https://cloudicweb.nhi.gov.tw' }],
    ['extra params', { kind: 'request', id: 1, method: 'readCard', params: { reader: 'x' } }],
    ['a fractional id', { kind: 'request', id: 1.5, method: 'readCard', params: {} }],
    ['id zero', { kind: 'request', id: 0, method: 'readCard', params: {} }],
    ['a string id', { kind: 'request', id: '1', method: 'readCard', params: {} }],
    ['a legacy line too long', { kind: 'request', id: 1, method: 'legacy', params: { line: 'x'.repeat(4097) } }],
    ['a non-string line', { kind: 'request', id: 1, method: 'legacy', params: { line: 42 } }],
    ['a prototype key', JSON.parse('{"kind":"request","id":1,"method":"readCard","params":{"__proto__":{"x":1}}}') as unknown],
  ])('refuses %s with a clear error', (_name, message) => {
    const checked = checkRequest(message);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error.message).toMatch(/invalid|large|serialized/);
  });

  it.each([
    ['a legacy line too long', { kind: 'request', id: 1, method: 'legacy', params: { line: 'x'.repeat(4097) } }, 'invalid params.line: Too big: expected string to have <=4096 characters'],
    ['a non-string line', { kind: 'request', id: 1, method: 'legacy', params: { line: 42 } }, 'invalid params.line: Invalid input: expected string, received number'],
    ['a fractional id', { kind: 'request', id: 1.5, method: 'readCard', params: {} }, 'invalid id: Invalid input: expected int, received number'],
    ['id zero', { kind: 'request', id: 0, method: 'readCard', params: {} }, 'invalid id: Too small: expected number to be >=1'],
    ['extra params', { kind: 'request', id: 1, method: 'readCard', params: { reader: 'x' } }, 'invalid params: Unrecognized key: "reader"'],
    ['no envelope', 'GetBasic', 'invalid message: Invalid input: expected object, received string'],
  ])('says in English what is wrong with %s', (_name, message, text) => {
    expect(checkRequest(message)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: text } });
  });

  it('refuses oversized and unserializable messages before parsing them', () => {
    const huge = checkRequest({ kind: 'request', id: 9, method: 'legacy', params: { line: 'x'.repeat(MAX_REQUEST_CHARS) } });
    expect(huge).toMatchObject({ ok: false, id: 9, error: { code: 'FRAME_TOO_LARGE' } });
    const cyclic: Record<string, unknown> = { kind: 'request', id: 3 };
    cyclic.self = cyclic;
    expect(checkRequest(cyclic)).toMatchObject({ ok: false });
    expect(checkRequest({ id: 10n })).toMatchObject({ ok: false });
  });

  it('keeps the id of a malformed request so the page can be answered', () => {
    expect(checkRequest({ kind: 'request', id: 42, method: 'nope', params: {} })).toMatchObject({ ok: false, id: 42 });
  });

  it('never throws on arbitrary input, and always names a known error code', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }), (value) => {
        const checked = checkRequest(value);
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
        const checked = checkRequest(value);
        expect(typeof checked.ok).toBe('boolean');
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('checks what the content script sends to the page, too', () => {
    expect(checkIncoming(toPageEnvelopeSchema, { kind: 'ready' }).ok).toBe(true);
    expect(checkIncoming(toPageEnvelopeSchema, { kind: 'event', event: { type: 'card-inserted', reader: 'R' } }).ok).toBe(true);
    expect(checkIncoming(toPageEnvelopeSchema, { kind: 'event', event: { type: 'card-stolen', reader: 'R' } }).ok).toBe(false);
    expect(checkIncoming(toPageEnvelopeSchema, { kind: 'response', id: 1, ok: false, error: { code: 'MADE_UP', message: 'x' } }).ok).toBe(false);
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(typeof checkIncoming(toPageEnvelopeSchema, value).ok).toBe('boolean');
      }),
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
