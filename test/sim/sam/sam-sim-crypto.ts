/**
 * The simulator's own copy of the protocol's crypto: DES framing, the published LKEY, and RSA
 * PKCS#1 v1.5. Written independently of native-host/legacy/ on purpose, so a bug in the client's
 * framing cannot be mirrored by the server it is tested against.
 */
import { constants, createCipheriv, createDecipheriv, privateDecrypt, type KeyObject } from 'node:crypto';

/** `<E>`, the end of every message. */
export const END = Buffer.from('<E>', 'latin1');

/** LKEY from the published constants: B[KBOX[0..15]] then 8 zero bytes. */
export const SIM_LKEY: Buffer = (() => {
  const b = Buffer.from('12345678123456780'.repeat(10), 'latin1');
  const kbox = [0x56, 0x28, 0x34, 0x2e, 0x78, 0x05, 0x0f, 0x5a, 0x36, 0x44, 0x42, 0x19, 0x26, 0x95, 0x26, 0x4d];
  return Buffer.concat([Buffer.from(kbox.map((index) => b[index] ?? 0)), Buffer.alloc(8)]);
})();

/** `3DES_key(pkcs5(payload)) || <E>`, using OpenSSL's own PKCS#5 padding. */
export function frame(key: Buffer, payload: Buffer): Buffer {
  const cipher = createCipheriv('des-ede3', key, null);
  return Buffer.concat([cipher.update(payload), cipher.final(), END]);
}

/** Decrypts a frame (trailing `<E>` included); undefined when it is not one. */
export function unframe(key: Buffer, data: Buffer): Buffer | undefined {
  if (!data.subarray(-3).equals(END) || (data.length - 3) % 8 !== 0 || data.length < 11) return undefined;
  try {
    const decipher = createDecipheriv('des-ede3', key, null);
    return Buffer.concat([decipher.update(data.subarray(0, -3)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** True when `data` is a whole frame: cipher blocks then `<E>`. */
export function isFrame(data: Buffer): boolean {
  return data.length >= 11 && (data.length - 3) % 8 === 0 && data.subarray(-3).equals(END);
}

/** PKCS#1 v1.5 decryption via the raw RSA primitive (Node 20 refuses the padded form for private keys). */
export function rsaDecrypt(privateKey: KeyObject, block: Buffer): Buffer | undefined {
  let raw: Buffer;
  try {
    raw = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, block);
  } catch {
    return undefined;
  }
  if (raw[0] !== 0 || raw[1] !== 2) return undefined;
  const separator = raw.indexOf(0, 2);
  return separator < 10 ? undefined : raw.subarray(separator + 1);
}
