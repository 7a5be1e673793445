import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateRequest } from '../../../native-host/host/request-validation';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { COMMANDS, requestSchema } from '../../../native-host/protocol/messages';
import { FUZZ_RUNS } from '../../support/fuzz';

describe('validateRequest', () => {
  it.each([
    { id: '1', command: 'version' },
    { id: '1', command: 'readers' },
    { id: '1', command: 'readCard' },
    { id: '1', command: 'readCard', reader: 'ACS ACR39U 00 00' },
    { id: '1', command: 'subscribe' },
    { id: '1', command: 'unsubscribe' },
    { id: '1', command: 'legacy', line: 'GetBasic' },
    { id: '1', command: 'legacy', line: '' },
    { id: 'x'.repeat(64), command: 'version' },
  ])('accepts %j', (request) => {
    expect(validateRequest(request)).toEqual({ ok: true, request });
  });

  it.each([
    // [what, input, expected code, expected answer id, message pattern]
    ['null', null, ErrorCode.InvalidRequest, null, /must be a JSON object/],
    ['an array', [{ id: '1', command: 'version' }], ErrorCode.InvalidRequest, null, /must be a JSON object/],
    ['a string', 'version', ErrorCode.InvalidRequest, null, /must be a JSON object/],
    ['a missing id', { command: 'version' }, ErrorCode.InvalidRequest, null, /field "id" must be a string/],
    ['a numeric id', { id: 7, command: 'version' }, ErrorCode.InvalidRequest, null, /field "id" must be a string/],
    ['an empty id', { id: '', command: 'version' }, ErrorCode.InvalidRequest, null, /field "id" must not be empty/],
    ['a 65-character id', { id: 'x'.repeat(65), command: 'version' }, ErrorCode.InvalidRequest, null, /field "id" is longer than 64/],
    ['a missing command', { id: '1' }, ErrorCode.InvalidRequest, '1', /field "command" must be a string/],
    ['a numeric command', { id: '1', command: 3 }, ErrorCode.InvalidRequest, '1', /field "command" must be a string/],
    ['an unknown command', { id: '1', command: 'format' }, ErrorCode.UnknownCommand, '1', /unknown command "format"/],
    ['a prototype member as command', { id: '1', command: 'toString' }, ErrorCode.UnknownCommand, '1', /unknown command "toString"/],
    ['a command with the wrong case', { id: '1', command: 'ReadCard' }, ErrorCode.UnknownCommand, '1', /unknown command "ReadCard"/],
    ['a non-string reader', { id: '1', command: 'readCard', reader: 5 }, ErrorCode.InvalidRequest, '1', /readCard request: field "reader" must be a string/],
    ['an empty reader', { id: '1', command: 'readCard', reader: '' }, ErrorCode.InvalidRequest, '1', /field "reader" must not be empty/],
    ['a 257-character reader', { id: '1', command: 'readCard', reader: 'r'.repeat(257) }, ErrorCode.InvalidRequest, '1', /field "reader" is longer than 256/],
    ['a legacy request without line', { id: '1', command: 'legacy' }, ErrorCode.InvalidRequest, '1', /field "line" must be a string/],
    ['a legacy line over 4096', { id: '1', command: 'legacy', line: 'G'.repeat(4097) }, ErrorCode.InvalidRequest, '1', /field "line" is longer than 4096/],
    ['an extra field', { id: '1', command: 'version', reader: 'x' }, ErrorCode.InvalidRequest, '1', /unexpected field "reader"/],
  ])('rejects %s', (_what, input, code, id, message) => {
    const result = validateRequest(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.id).toBe(id);
    expect(result.error.code).toBe(code);
    expect(result.error.message).toMatch(message);
  });

  it.each([
    ['a long unknown command', { id: '1', command: 'c'.repeat(5000) }, 'c'.repeat(40)],
    ['an unknown command with markup', { id: '1', command: '<script>alert(1)</script>' }, '<script>'],
    ['a long extra field name', { id: '1', command: 'version', ['k'.repeat(300)]: 1 }, 'k'.repeat(40)],
    ['a long reader value', { id: '1', command: 'readCard', reader: 'A123456789'.repeat(30) }, 'A123456789'],
    ['a long legacy line', { id: '1', command: 'legacy', line: 'EnCrypt?Pwd='.repeat(400) }, 'EnCrypt'],
  ])('never echoes %s', (_what, input, secret) => {
    const result = validateRequest(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).not.toContain(secret);
    expect(result.error.message.length).toBeLessThan(120);
  });

  /** Every string in `value` (keys included) longer than the echo limit. */
  function longStrings(value: unknown): string[] {
    if (typeof value === 'string') return value.length > 32 ? [value] : [];
    if (Array.isArray(value)) return value.flatMap(longStrings);
    if (typeof value === 'object' && value !== null) {
      return Object.entries(value).flatMap(([key, inner]) => [...longStrings(key), ...longStrings(inner)]);
    }
    return [];
  }

  const requestLike = fc.record(
    {
      id: fc.oneof(fc.string({ maxLength: 80 }), fc.jsonValue({ maxDepth: 1 })),
      command: fc.oneof(fc.constantFrom(...COMMANDS), fc.string({ maxLength: 60 }), fc.jsonValue({ maxDepth: 1 })),
      reader: fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue({ maxDepth: 1 })),
      line: fc.oneof(fc.string({ maxLength: 100 }), fc.jsonValue({ maxDepth: 1 })),
      extra: fc.jsonValue({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  );

  it.each([
    ['arbitrary JSON', fc.jsonValue()],
    ['request-shaped objects', requestLike],
  ])('over %s: never throws, always a valid request or a coded error that echoes nothing long', (_what, arbitrary: fc.Arbitrary<unknown>) => {
    fc.assert(
      fc.property(arbitrary, (input) => {
        const result = validateRequest(input);
        if (result.ok) {
          expect(requestSchema.safeParse(input).success).toBe(true);
          return;
        }
        expect([ErrorCode.InvalidRequest, ErrorCode.UnknownCommand]).toContain(result.error.code);
        expect(result.error.message.length).toBeLessThan(160);
        for (const long of longStrings(input)) expect(result.error.message).not.toContain(long);
        if (result.id !== null) expect(result.id.length).toBeLessThanOrEqual(64);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
