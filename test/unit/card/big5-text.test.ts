import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBig5Name } from '../../../native-host/card/big5-text';
import { big5, padTo } from './record-fixture';

const NAME_FIELD = 20;
const REPLACEMENT = '\uFFFD';

/** `text` in Big5 followed by raw `suffix` bytes, then NUL padding to 20 bytes. */
function field(text: string, suffix: readonly number[] = [], fill = 0x00): Uint8Array {
  return padTo(Uint8Array.from([...big5(text), ...suffix]), NAME_FIELD, fill);
}

describe('decodeBig5Name', () => {
  it.each([
    ['an ordinary NUL-padded name', field('陳小明'), '陳小明'],
    ['a space-padded name', field('陳小明', [], 0x20), '陳小明'],
    ['a name padded with full-width spaces', field('陳小明　　　　　　　'), '陳小明'],
    ['a name padded with spaces then NULs', field('陳小明', [0x20, 0x20]), '陳小明'],
    ['a name that fills all 20 bytes', big5('陳小明陳小明陳小明王'), '陳小明陳小明陳小明王'],
    ['a foreign name in ASCII that fills all 20 bytes', big5('WANG XIAO MING ABCDE'), 'WANG XIAO MING ABCDE'],
    ['an ETEN extension character (碁, F9D6)', field('林碁明'), '林碁明'],
    ['an ETEN extension character (裏, F9D8)', field('裏'), '裏'],
    ['a `*` standing for a character outside Big5', field('陳*明'), '陳*明'],
    ['an empty (all NUL) field', new Uint8Array(NAME_FIELD), ''],
    ['an all-space field', new Uint8Array(NAME_FIELD).fill(0x20), ''],
    ['text after the first NUL is ignored', field('陳小明', [0x00, 0x41, 0x42]), '陳小明'],
    ['a leading space is kept (only trailing padding goes)', field(' 陳小明'), ' 陳小明'],
  ])('decodes %s', (_case, bytes, expected) => {
    expect(bytes).toHaveLength(NAME_FIELD);
    expect(decodeBig5Name(bytes)).toBe(expected);
  });

  it('drops a lead byte left alone by truncation at 20 bytes instead of emitting U+FFFD', () => {
    // 19 bytes of ASCII + the first byte of 陳 (B3 AF): the card cut the name mid-character.
    const truncated = Uint8Array.from([...big5('WANG XIAO MING ABCD'), 0xb3]);
    expect(truncated).toHaveLength(NAME_FIELD);
    expect(decodeBig5Name(truncated)).toBe('WANG XIAO MING ABCD');
  });

  it('drops a truncated lead byte that follows a mix of Big5 and ASCII', () => {
    const truncated = Uint8Array.from([...big5('陳小明陳小明陳小明X'), 0xb3]);
    expect(truncated).toHaveLength(NAME_FIELD);
    expect(decodeBig5Name(truncated)).toBe('陳小明陳小明陳小明X');
  });

  it('keeps a last character whose trail byte looks like a lead byte (陳 = B3 AF)', () => {
    const full = big5('陳小明陳小明陳小明陳');
    expect(full).toHaveLength(NAME_FIELD);
    expect(decodeBig5Name(full)).toBe('陳小明陳小明陳小明陳');
  });

  // The same characters a browser's WHATWG big5 decoder gives, not ICU's Private Use code points.
  it.each([
    ['an HKSCS character (8840)', [0x88, 0x40], '\u31C0'],
    ['an ETEN symbol (C6A1)', [0xc6, 0xa1], '\u2460'],
    ['an ETEN extension character (F9D6)', [0xf9, 0xd6], '碁'],
    ['an HKSCS ideograph in the user-defined range (FA40)', [0xfa, 0x40], '\u{20547}'],
  ])('decodes %s like a browser does', (_case, bytes, expected) => {
    const name = decodeBig5Name(field('陳', bytes));
    expect(name).toBe(`陳${expected}`);
    expect(name).not.toContain(REPLACEMENT);
  });

  it('never throws, and never returns NUL or trailing padding, on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: NAME_FIELD }), (bytes) => {
        const name = decodeBig5Name(bytes);
        expect(name).not.toContain('\u0000');
        expect(name).not.toMatch(/[ \u3000]$/u);
      }),
    );
  });

  it('round-trips any NUL-padded name made of Big5 characters', () => {
    const big5Char = fc.constantFrom('陳', '小', '明', '王', '大', '林', '碁', '裏', '李', '華', '美', '玲', '*', 'A', 'B');
    fc.assert(
      fc.property(fc.array(big5Char, { minLength: 1, maxLength: 6 }), (chars) => {
        const name = chars.join('');
        expect(decodeBig5Name(field(name))).toBe(name);
      }),
    );
  });
});
