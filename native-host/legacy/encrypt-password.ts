/**
 * EnCrypt?Pwd=P, as the official component computes it:
 * `hex(3DES_LKEY1(chunk7(3DES_k(pad(P)))))` with `k = SHA1(cardId || YYYYMMDD) || SUFFIX`.
 * A fixed-key obfuscation kept only for compatibility; it protects nothing.
 */
import { createHash } from 'node:crypto';
import { chunk7, randomFiller, type FillerSource } from './chunk7';
import { pkcs5Pad, tripleDesEncryptor } from './des-ecb';
import { ENCRYPT_KEY_SUFFIX, LKEY1 } from './legacy-keys';
import { localYyyymmdd } from './local-date';

/** The inputs of one EnCrypt. */
export interface EncryptPasswordInput {
  /** The page's password, 6..12 ASCII characters (validated by the parser). */
  readonly pwd: string;
  /** The 12 bytes the card returns for `00 CA 00 00`. */
  readonly cardId: Uint8Array;
  /** "Today" in the machine's local time zone. */
  readonly today: Date;
  /** Filler bytes for chunk7; random unless a test fixes them. */
  readonly filler?: FillerSource;
}

/** The inner 24-byte 3DES key: SHA-1 over the raw card id bytes and the ASCII date, then SUFFIX. */
export function encryptKey(cardId: Uint8Array, today: Date): Uint8Array {
  // Hashing the raw id bytes equals hashing its ASCII text (the card id is ASCII) and never re-encodes it.
  const digest = createHash('sha1').update(cardId).update(localYyyymmdd(today), 'latin1').digest();
  return Uint8Array.from([...digest, ...ENCRYPT_KEY_SUFFIX]);
}

/** The outer cipher's key never changes: one cipher serves every EnCrypt. */
let outerCipher: ((data: Uint8Array) => Uint8Array) | undefined;
/** EnCrypt's reply payload: upper-case hex. */
export function encryptPassword(input: EncryptPasswordInput): string {
  // The inner cipher is made per call (~40 µs): keeping it would keep the card's id in memory after
  // the card is gone, which the memo's lifetime rule (docs/security.md) does not allow.
  const inner = tripleDesEncryptor(encryptKey(input.cardId, input.today))(pkcs5Pad(new TextEncoder().encode(input.pwd)));
  outerCipher ??= tripleDesEncryptor(LKEY1);
  const outer = outerCipher(chunk7(inner, input.filler ?? randomFiller));
  return Buffer.from(outer).toString('hex').toUpperCase();
}
