/**
 * RSA for the SAM handshake. The protocol fixes RSA-1024 with PKCS#1 v1.5 encryption both ways.
 *
 * Node 20 refuses PKCS#1 v1.5 *private decryption* (crypto.privateDecrypt with RSA_PKCS1_PADDING
 * throws since the Marvin-attack fix) unless started with --security-revert, which we will not
 * ask users to do. We decrypt with RSA_NO_PADDING (the raw RSA primitive, still supported) and
 * remove the padding ourselves, rejecting every malformed block. This is sound here because the
 * attacks the fix guards against need a padding oracle over many queries against one key: our
 * key pair is generated fresh for each connection and decrypts exactly one message, and every
 * failure becomes the same reply code.
 */
import { constants, createPublicKey, generateKeyPair, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generateRsaKeyPair = promisify(generateKeyPair);

/** The modulus size the protocol uses. */
export const RSA_BITS = 1024;
/** Bytes in one RSA-1024 block. */
export const RSA_BLOCK_BYTES = RSA_BITS / 8;
/** PKCS#1 v1.5 needs at least 8 non-zero padding bytes. */
const MIN_PADDING_BYTES = 8;

/** A one-connection RSA-1024 key pair. */
export interface HandshakeKeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

/** Generates a fresh RSA-1024 key pair off the main thread. */
export async function generateHandshakeKeyPair(): Promise<HandshakeKeyPair> {
  return generateRsaKeyPair('rsa', { modulusLength: RSA_BITS, publicExponent: 65_537 });
}

/** The PEM SubjectPublicKeyInfo of `publicKey`, without the trailing newline (as the Hello carries it). */
export function publicKeyPem(publicKey: KeyObject): string {
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  return (typeof pem === 'string' ? pem : pem.toString('latin1')).replace(/\n+$/u, '');
}

/** Loads a PEM public key; throws when it is not an RSA-1024 key. */
export function loadRsaPublicKey(pem: string): KeyObject {
  const key = createPublicKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'rsa' || key.asymmetricKeyDetails?.modulusLength !== RSA_BITS) {
    throw new Error('the server key is not an RSA-1024 key');
  }
  return key;
}

/** PKCS#1 v1.5 encryption to `publicKey` (still supported by Node for the public operation). */
export function rsaEncryptPkcs1(publicKey: KeyObject, data: Uint8Array): Uint8Array {
  return new Uint8Array(publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, data));
}

/** PKCS#1 v1.5 decryption: the raw RSA primitive, then {@link unpadPkcs1Type2}. */
export function rsaDecryptPkcs1(privateKey: KeyObject, block: Uint8Array): Uint8Array | undefined {
  if (block.length !== RSA_BLOCK_BYTES) return undefined;
  let raw: Uint8Array;
  try {
    raw = new Uint8Array(privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, block));
  } catch {
    return undefined; // e.g. the block is numerically larger than the modulus
  }
  return unpadPkcs1Type2(raw);
}

/**
 * Removes PKCS#1 v1.5 encryption padding: `00 02 PS 00 M` with PS at least 8 non-zero bytes.
 * Returns undefined for any other shape. The whole block is scanned whatever it holds, so the
 * work done does not depend on where the block goes wrong.
 */
export function unpadPkcs1Type2(block: Uint8Array): Uint8Array | undefined {
  if (block.length !== RSA_BLOCK_BYTES) return undefined;
  let separator = 0;
  for (let index = 2; index < block.length; index++) {
    if (separator === 0 && block[index] === 0) separator = index;
  }
  const wellFormed = block[0] === 0x00 && block[1] === 0x02 && separator >= 2 + MIN_PADDING_BYTES;
  return wellFormed ? block.slice(separator + 1) : undefined;
}
