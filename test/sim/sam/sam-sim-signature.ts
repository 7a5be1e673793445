/**
 * The simulator's signatures. The real service's signature format is not public, so the simulator
 * uses its own: upper-case hex of two HMAC-SHA512 values under a fixed test key, over
 * `part || cardId || signData` with part 0x01 and 0x02. Each is 128 hex characters, so the
 * signature is exactly the 256 characters pages expect, and anyone holding the test key (the
 * simulator, a test website) can verify it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The simulator's signing key; test-only, never a real NHI secret. */
export const SIMULATOR_SIGNING_KEY = Buffer.from('nhi-card-bridge SAM simulator signing key', 'latin1');

/** What a signature binds: the 12-byte card id and the page's 20-character version + random. */
export interface SignatureInput {
  /** The card id: its 12 bytes, or the same as 12 ASCII characters (as profiles hold it). */
  readonly cardId: Uint8Array | string;
  /** The 20 characters the page sent with H_Sign (version + random). */
  readonly random: string;
}

function cardIdBytes(cardId: Uint8Array | string): Buffer {
  return typeof cardId === 'string' ? Buffer.from(cardId, 'latin1') : Buffer.from(cardId);
}

/** The 256-character signature the simulator issues for `input`. */
export function simulatorSignature(input: SignatureInput): string {
  const part = (tag: number): string =>
    createHmac('sha512', SIMULATOR_SIGNING_KEY)
      .update(Uint8Array.of(tag))
      .update(cardIdBytes(input.cardId))
      .update(Buffer.from(input.random, 'latin1'))
      .digest('hex')
      .toUpperCase();
  return part(0x01) + part(0x02);
}

/** True when `signature` is the simulator's signature for `input` (constant-time compare). */
export function verifySimulatorSignature(input: SignatureInput & { readonly signature: string }): boolean {
  const expected = Buffer.from(simulatorSignature(input), 'latin1');
  const actual = Buffer.from(input.signature, 'latin1');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
