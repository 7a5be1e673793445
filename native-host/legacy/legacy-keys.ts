/**
 * The fixed keys of the official component's obfuscations and SAM framing. They are published
 * interoperability constants (NHI-CARD-FACTS.md), not secrets: every NHIICC build carries them.
 */

/** `B`: the ASCII string "12345678123456780" repeated 10 times (170 bytes). */
const B = new TextEncoder().encode('12345678123456780'.repeat(10));

/** Indices into B; LKEY uses the first 16. */
const KBOX = [
  0x56, 0x28, 0x34, 0x2e, 0x78, 0x05, 0x0f, 0x5a, 0x36, 0x44, 0x42, 0x19, 0x26, 0x95, 0x26, 0x4d, 0x03, 0x10, 0x15, 0x58, 0x03, 0x40,
  0x5a, 0x72, 0x1e, 0x0b, 0x49, 0x69, 0x4b, 0x15, 0x29, 0x06,
] as const;

/** Indices into B for LKEY1. */
const KBOX1 = [
  0x56, 0x28, 0x34, 0x2e, 0x78, 0x05, 0x0f, 0x5a, 0x36, 0x44, 0x42, 0x19, 0x26, 0x95, 0x26, 0x4d, 0x2d, 0x41, 0x4d, 0x1f, 0x41, 0x62,
  0x15, 0x2f,
] as const;

function pick(indices: readonly number[]): Uint8Array {
  return Uint8Array.from(indices, (index) => B[index] ?? 0);
}

/** LKEY: B[KBOX[0..15]] followed by 8 zero bytes; the 3DES key of the SAM handshake frames. */
export const LKEY: Uint8Array = Uint8Array.from([...pick(KBOX.slice(0, 16)), ...new Uint8Array(8)]);

/** LKEY1: B[KBOX1[0..23]]; the outer 3DES key of EnCrypt. */
export const LKEY1: Uint8Array = pick(KBOX1);

/** The 4 bytes appended to SHA-1(card id + date) to make EnCrypt's 24-byte inner key. */
export const ENCRYPT_KEY_SUFFIX: Uint8Array = Uint8Array.of(0x27, 0x06, 0x58, 0x66);
