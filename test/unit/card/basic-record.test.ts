import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBasicRecord } from '../../../native-host/card/basic-record';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { expectNhiCardError } from './nhi-card-error-expectations';
import { big5, buildRecord, ORDINARY, padTo } from './record-fixture';

describe('parseBasicRecord', () => {
  it('parses an ordinary record into identity, raw dates and name bytes', () => {
    const record = parseBasicRecord(buildRecord());
    expect(record).toEqual({
      cardNumber: '000012345678',
      name: '陳小明',
      idNumber: 'A123456789',
      birthDate: '1991-01-01',
      sex: 'M',
      issueDate: '2020-06-15',
      birthRoc: '0800101',
      issueRoc: '1090615',
      nameBytes: padTo(big5('陳小明'), 20),
    });
  });

  it('returns a copy of the name bytes, not a view into the card answer', () => {
    const bytes = buildRecord();
    const record = parseBasicRecord(bytes);
    bytes.fill(0, 12, 32);
    expect(record.nameBytes).toEqual(padTo(big5('陳小明'), 20));
  });

  it.each([
    ['an ETEN extension character', { name: '林碁明' }, '林碁明'],
    ['a space-padded name', { nameBytes: padTo(big5('陳小明'), 20, 0x20) }, '陳小明'],
    ['a name padded with full-width spaces', { nameBytes: padTo(big5('陳小明　　'), 20) }, '陳小明'],
    ['a name that fills all 20 bytes', { nameBytes: big5('陳小明陳小明陳小明王') }, '陳小明陳小明陳小明王'],
    ['a truncated name ending in a lone lead byte', { nameBytes: Uint8Array.from([...big5('MARIA DE LOS SANTOS'), 0xb3]) }, 'MARIA DE LOS SANTOS'],
    ['a `*` for a character outside Big5', { name: '陳*明' }, '陳*明'],
  ])('parses %s', (_case, overrides, name) => {
    expect(parseBasicRecord(buildRecord(overrides)).name).toBe(name);
  });

  it('keeps an HKSCS-range character as one character', () => {
    const name = parseBasicRecord(buildRecord({ nameBytes: padTo(Uint8Array.of(...big5('陳'), 0x88, 0x40), 20) })).name;
    // One code point after 陳, and not U+FFFD (the runtime's table decides which one).
    expect(name).toMatch(/^陳[^\uFFFD]$/u);
  });

  it.each([
    ['A123456789', 'a citizen ID'],
    ['F234567890', 'a citizen ID of a woman'],
    ['A800000014', 'a new-format resident number'],
    ['AB12345678', 'an old-format resident number'],
    ['Z912345678', 'a new-format resident number with digit 9'],
  ])('accepts ID %s (%s)', (idNumber) => {
    expect(parseBasicRecord(buildRecord({ idNumber })).idNumber).toBe(idNumber);
  });

  it.each([
    ['0800101', '1991-01-01', 'a birth year below ROC 100'],
    ['0010101', '1912-01-01', 'ROC year 1'],
    ['1000101', '2011-01-01', 'ROC year 100'],
    ['1130229', '2024-02-29', 'a leap day'],
  ])('converts birth date %s to %s (%s)', (birthRoc, birthDate) => {
    const record = parseBasicRecord(buildRecord({ birthRoc }));
    expect(record.birthDate).toBe(birthDate);
    expect(record.birthRoc).toBe(birthRoc);
  });

  it('reads a woman’s record', () => {
    expect(parseBasicRecord(buildRecord({ sex: 'F', idNumber: 'B223456789' })).sex).toBe('F');
  });

  it.each([
    ['a lower-case ID', { idNumber: 'a123456789' }, 'ID number'],
    ['an ID with a letter in the digits', { idNumber: 'A12345678X' }, 'ID number'],
    ['an ID starting with a digit', { idNumber: '1123456789' }, 'ID number'],
    ['a space-padded short ID', { idNumber: 'A12345678 ' }, 'ID number'],
    ['an all-NUL ID', { idNumber: '\0'.repeat(10) }, 'ID number'],
    ['a card number with a letter', { cardNumber: '00001234567X' }, 'card number'],
    ['a space-padded card number', { cardNumber: ' 00012345678' }, 'card number'],
    ['sex X', { sex: 'X' }, 'sex'],
    ['lower-case sex', { sex: 'm' }, 'sex'],
    ['sex NUL', { sex: '\0' }, 'sex'],
    ['Feb 29 of a non-leap year as birth date', { birthRoc: '1120229' }, 'birth date'],
    ['month 13 as birth date', { birthRoc: '0801301' }, 'birth date'],
    ['day 32 as birth date', { birthRoc: '0800132' }, 'birth date'],
    ['Feb 30 as birth date', { birthRoc: '0800230' }, 'birth date'],
    ['letters as birth date', { birthRoc: 'ABCDEFG' }, 'birth date'],
    ['day 0 as issue date', { issueRoc: '1090600' }, 'issue date'],
  ])('rejects %s, naming the %s', (_case, overrides, field) => {
    const error = expectNhiCardError(() => parseBasicRecord(buildRecord(overrides)), ErrorCode.InvalidCardData);
    expect(error.message).toContain(field);
  });

  it.each([0, 2, 56, 58, 59, 256])('rejects a %i-byte record', (length) => {
    const bytes = padTo(buildRecord().slice(0, Math.min(length, 57)), length);
    expectNhiCardError(() => parseBasicRecord(bytes), ErrorCode.InvalidCardData);
  });

  it('never puts holder data into an error message', () => {
    const holderValues = [ORDINARY.cardNumber, ORDINARY.idNumber, ORDINARY.name, ORDINARY.birthRoc, '1991'];
    const broken = [{ sex: 'X' }, { birthRoc: '0800230' }, { idNumber: 'a123456789' }, { cardNumber: '00001234567X' }];
    for (const overrides of broken) {
      const error = expectNhiCardError(() => parseBasicRecord(buildRecord(overrides)), ErrorCode.InvalidCardData);
      for (const value of [...holderValues, ...Object.values(overrides)]) expect(error.message).not.toContain(value);
    }
  });

  it('throws nothing but NhiCardError on arbitrary 57-byte input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 57, maxLength: 57 }), (bytes) => {
        try {
          parseBasicRecord(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(NhiCardError);
        }
      }),
    );
  });

  it('parses any record whose only oddity is arbitrary name bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (nameBytes) => {
        const record = parseBasicRecord(buildRecord({ nameBytes }));
        expect(record.nameBytes).toEqual(nameBytes);
        expect(record.idNumber).toBe(ORDINARY.idNumber);
      }),
    );
  });
});
