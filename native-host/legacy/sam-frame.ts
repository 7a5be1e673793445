/**
 * SAM service frames: `3DES_key(pad(payload))` followed by the three ASCII bytes `<E>`. A reader
 * collects bytes until the buffer ends with `<E>`; requiring whole 8-byte blocks before the marker
 * keeps a ciphertext that merely happens to end in `<E>` mid-stream from being taken as a frame.
 */
import { pkcs5Pad, pkcs5Unpad, tripleDesDecrypt, tripleDesEncrypt } from './des-ecb';

/** The end-of-message marker `<E>`. */
export const END_MARKER: Uint8Array = new TextEncoder().encode('<E>');

/**
 * Decides whether the bytes received so far end a message, from their total `length` and their
 * last (up to) END_MARKER.length bytes, `tail`: a reader then needs no copy of everything received
 * to decide, however the bytes were split into chunks.
 */
export type MessageEnd = (length: number, tail: Uint8Array) => boolean;

/** A message ends with `<E>` (the unframed health answer). */
export const markerEnd: MessageEnd = (length, tail) =>
  length >= END_MARKER.length && tail.length >= END_MARKER.length && endsWithMarker(tail);

/** A message is one whole frame: at least one cipher block, then `<E>`. */
export const frameEnd: MessageEnd = (length, tail) => {
  const cipherLength = length - END_MARKER.length;
  return cipherLength >= 8 && cipherLength % 8 === 0 && markerEnd(length, tail);
};

/** True when `bytes` ends with `<E>`. */
export function endsWithMarker(bytes: Uint8Array): boolean {
  const start = bytes.length - END_MARKER.length;
  return start >= 0 && END_MARKER.every((byte, index) => bytes[start + index] === byte);
}

/** True when `bytes` holds one whole frame: at least one cipher block, then `<E>`. */
export function isCompleteFrame(bytes: Uint8Array): boolean {
  return frameEnd(bytes.length, bytes.subarray(-END_MARKER.length));
}

/** Encrypts and terminates one payload. */
export function encodeFrame(key: Uint8Array, payload: Uint8Array): Uint8Array {
  return Uint8Array.from([...tripleDesEncrypt(key, pkcs5Pad(payload)), ...END_MARKER]);
}

/** Decrypts one frame, or returns undefined when it is not a well-formed frame under `key`. */
export function decodeFrame(key: Uint8Array, frame: Uint8Array): Uint8Array | undefined {
  if (!isCompleteFrame(frame)) return undefined;
  return pkcs5Unpad(tripleDesDecrypt(key, frame.subarray(0, frame.length - END_MARKER.length)));
}

/** ASCII text as bytes (message tags such as `01<id=12>`). */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (character) => character.charCodeAt(0) & 0xff);
}

/** True when `bytes` starts with `prefix`. */
export function startsWithBytes(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}
