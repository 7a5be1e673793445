/**
 * DES and 3DES in ECB mode without automatic padding, plus the PKCS#5 padding the protocol uses.
 * Node 20's OpenSSL 3 moved single DES to the legacy provider, but DES-EDE3 with key k||k||k is
 * exactly DES_k (encrypt, decrypt, encrypt with the same key collapses to one encryption), so
 * everything goes through 'des-ede3' (which is ECB in OpenSSL's naming).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

const BLOCK = 8;

function requireBlocks(data: Uint8Array): void {
  if (data.length % BLOCK !== 0) throw new RangeError(`ECB input must be a multiple of ${BLOCK} bytes, got ${data.length}`);
}

/** 3DES-ECB encryption with a 24-byte key; `data` must already be whole blocks. */
export function tripleDesEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  requireBlocks(data);
  const cipher = createCipheriv('des-ede3', key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
}

/**
 * A 3DES-ECB encryption with one key, reused for every call: creating an OpenSSL cipher costs
 * ~40 µs, and ECB without padding turns whole blocks into whole blocks on `update` alone.
 */
export function tripleDesEncryptor(key: Uint8Array): (data: Uint8Array) => Uint8Array {
  const cipher = createCipheriv('des-ede3', key, null).setAutoPadding(false);
  return (data) => {
    requireBlocks(data);
    const out = cipher.update(data);
    if (out.length !== data.length) throw new RangeError('the ECB cipher held back a block');
    return new Uint8Array(out);
  };
}

/** 3DES-ECB decryption with a 24-byte key; `data` must be whole blocks. */
export function tripleDesDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  requireBlocks(data);
  const decipher = createDecipheriv('des-ede3', key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([decipher.update(data), decipher.final()]));
}

/** Single DES-ECB encryption with an 8-byte key, as DES-EDE3 with k||k||k. */
export function desEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (key.length !== BLOCK) throw new RangeError(`a DES key is ${BLOCK} bytes, got ${key.length}`);
  return tripleDesEncrypt(Uint8Array.from([...key, ...key, ...key]), data);
}

/** PKCS#5 padding: 1..8 bytes, each holding the pad length. */
export function pkcs5Pad(data: Uint8Array): Uint8Array {
  const padLength = BLOCK - (data.length % BLOCK);
  const out = new Uint8Array(data.length + padLength).fill(padLength);
  out.set(data, 0);
  return out;
}

/** Removes PKCS#5 padding, or returns undefined when the padding is not well formed. */
export function pkcs5Unpad(data: Uint8Array): Uint8Array | undefined {
  const padLength = data[data.length - 1];
  if (padLength === undefined || padLength < 1 || padLength > BLOCK || padLength > data.length || data.length % BLOCK !== 0) return undefined;
  const tail = data.subarray(data.length - padLength);
  return tail.every((byte) => byte === padLength) ? data.slice(0, data.length - padLength) : undefined;
}
