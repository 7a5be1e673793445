/**
 * Decoding the Big5 name field with iconv-lite's Big5-HKSCS table, which matches what browsers do
 * (WHATWG big5: HKSCS plus the ETEN extensions). Node's own `TextDecoder('big5')` is ICU's CP950
 * and turns the HKSCS and user-defined ranges (e.g. 0x8840, 0xC6A1) into Private Use code points,
 * so a rare character in a name would read differently in the host than in the page.
 * The decoder never throws: invalid bytes become U+FFFD.
 */
import iconv from 'iconv-lite';

const NUL = 0x00;
// ASCII space and the full-width space U+3000 (Big5 A1 40) both appear as padding on real cards.
const TRAILING_PADDING = /[ \u3000]+$/u;

/**
 * The name stored in a Big5 field: stops at the first NUL, drops a lead byte left alone by
 * truncation, and removes trailing ASCII and full-width spaces. `*` (how the card marks a
 * character outside Big5) is kept.
 */
export function decodeBig5Name(field: Uint8Array): string {
  // The official component treats the field as a C string; a NUL is never part of a Big5 character.
  const firstNul = field.indexOf(NUL);
  const text = firstNul === -1 ? field : field.subarray(0, firstNul);
  // Long names are cut at 20 bytes, possibly between a lead and its trail byte. A streaming
  // decoder holds such a dangling lead byte back instead of emitting U+FFFD; never ending the
  // stream drops it.
  const decoded = iconv.getDecoder('big5hkscs').write(text as Buffer);
  return decoded.replace(TRAILING_PADDING, '');
}
