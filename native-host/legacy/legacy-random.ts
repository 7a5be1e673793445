/**
 * GetRandom's 16 decimal digits. The official component used the C library's rand() seeded with
 * the time; pages use these digits as a nonce that the SAM signature binds, so they come from the
 * OS CSPRNG here, each digit uniform.
 */
import { randomBytes } from 'node:crypto';

/** How many digits GetRandom returns. */
export const RANDOM_DIGITS = 16;

/** Bytes at or above this are discarded: 250 is the largest multiple of 10 that fits in a byte, so `byte % 10` stays unbiased. */
const ACCEPT_BELOW = 250;

/** Supplies random bytes; node:crypto's CSPRNG unless a test injects one. */
export type RandomByteSource = (length: number) => Uint8Array;

const cryptoBytes: RandomByteSource = (length) => randomBytes(length);

/** 16 uniformly distributed decimal digits, by rejection sampling (no modulo bias). */
export function randomDigits(source: RandomByteSource = cryptoBytes): string {
  let digits = '';
  while (digits.length < RANDOM_DIGITS) {
    for (const byte of source(RANDOM_DIGITS)) {
      if (byte < ACCEPT_BELOW && digits.length < RANDOM_DIGITS) digits += String(byte % 10);
    }
  }
  return digits;
}
