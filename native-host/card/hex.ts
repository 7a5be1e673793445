import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';

/** Upper-case hex of `bytes`, one space between bytes (`00 A4 04 00`), the form APDU traces use. */
export function toHex(bytes: Uint8Array, separator = ' '): string {
  return Array.from(bytes, (byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(separator);
}

/** Bytes of a hex string; whitespace between digits is ignored so specs can be pasted as written. */
export function fromHex(text: string): Uint8Array {
  const digits = text.replace(/\s+/gu, '');
  if (digits.length % 2 !== 0 || !/^[0-9a-f]*$/iu.test(digits)) {
    // The text may be a card answer under test, so it is not echoed into the message.
    throw new NhiCardError(ErrorCode.Internal, 'not a hex string: expected pairs of hex digits');
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = Number.parseInt(digits.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
}
