import { describe, expect, it } from 'vitest';
import { coversFields, legacyLineFields, READ_CARD_FIELDS, type CardField } from '../../../extension/shared/card-fields';
import { legacyReplyFor } from '../../../extension/background/legacy-replies';
import { ExtensionErrorCode } from '../../../native-host/protocol/error-codes';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { maskName } from '../../../extension/shared/mask-name';

/** Everything the legacy protocol can reveal: one consent covers a whole legacy flow. */
const LEGACY_FLOW = ['cardNumber', 'idNumber', 'name', 'birthDate', 'sex', 'cardStatus', 'cardIdDerived', 'cardAuthentication'];

describe('which legacy commands reveal card data', () => {
  it.each([
    ['GetVersion', []],
    ['GetRandom', []],
    ['GetBasic', LEGACY_FLOW],
    ['SecureGetBasicWithParam?Pwd=123456', LEGACY_FLOW],
    ['EnCrypt?Pwd=123456', LEGACY_FLOW],
    ['H_Sign?Random=00111234567890123456', LEGACY_FLOW],
    ['H_SignIPAndPort?Random=AA&IP=BB&PORT=CC', LEGACY_FLOW],
  ])('%s needs consent for %j', (line, fields) => {
    expect(legacyLineFields(line)).toEqual(fields);
  });

  it('asks once for a whole legacy flow: the first card command covers the ones that follow', () => {
    const first = legacyLineFields('GetBasic') ?? [];
    for (const next of ['H_Sign?Random=00111234567890123456', 'EnCrypt?Pwd=123456']) {
      expect(coversFields(first, legacyLineFields(next) ?? ['unknown' as CardField])).toBe(true);
    }
  });

  it.each(['getbasic', 'GetBasic ', ' GetBasic', 'Bogus', '', 'toString', '__proto__', 'constructor'])('treats %j as unknown (answered 9999 without the host)', (line) => {
    expect(legacyLineFields(line)).toBeUndefined();
  });

  it('readCard reveals the six identity fields', () => {
    expect(READ_CARD_FIELDS).toEqual(['cardNumber', 'name', 'idNumber', 'birthDate', 'sex', 'issueDate']);
  });
});

describe('numeric replies for extension-side failures', () => {
  it.each([
    [ExtensionErrorCode.ConsentDenied, '8013'],
    [ExtensionErrorCode.HostNotFound, '8013'],
    [ExtensionErrorCode.HostTimeout, '8013'],
    [ErrorCode.InvalidRequest, '9999'],
    [ErrorCode.UnknownCommand, '9999'],
  ])('%s -> %s', (code, reply) => {
    expect(legacyReplyFor(code)).toBe(reply);
  });
});

describe('masking the holder name', () => {
  it.each([
    ['陳大明', '陳○明'],
    ['王明', '王○'],
    ['歐陽志明', '歐○○明'],
    ['CHEN TA MING', 'C○○○G'],
    ['𠀋大明', '𠀋○明'],
    ['', ''],
  ])('%s -> %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});
