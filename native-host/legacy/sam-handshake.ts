/**
 * The SAM "Hello" handshake that agrees a 24-byte 3DES session key:
 *   we send (framed with LKEY) `Hello ` + our RSA-1024 public key PEM;
 *   the server answers (framed with LKEY) `Hello ` + its PEM (bytes 6..0x115), a length, and at
 *   bytes 0x11B..0x19A its 16-byte nonce encrypted to our key;
 *   we send, unframed, ` 128 ` + our 16-byte nonce encrypted to its key + `<E>`.
 * Session key = (our nonce || server nonce)[0..23].
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { atStep, LegacyFailure } from './legacy-error-codes';
import { LegacyCode } from '../protocol/nhiicc';
import { LKEY } from './legacy-keys';
import {
  generateHandshakeKeyPair,
  loadRsaPublicKey,
  publicKeyPem,
  rsaDecryptPkcs1,
  rsaEncryptPkcs1,
  type HandshakeKeyPair,
} from './sam-crypto';
import { asciiBytes, decodeFrame, encodeFrame, END_MARKER, frameEnd, startsWithBytes } from './sam-frame';
import type { SamSocket } from './sam-socket';
import { concatBytes } from '../card/bytes';

/** Where the server's public key PEM sits in its decrypted Hello: [start, end). */
export const SERVER_KEY_RANGE = [0x006, 0x116] as const;
/** Where the server's encrypted nonce sits in its decrypted Hello: [start, end). */
export const SERVER_NONCE_RANGE = [0x11b, 0x19b] as const;
/** Bytes in our nonce. */
export const CLIENT_NONCE_BYTES = 16;
/** Bytes in the 3DES session key. */
export const SESSION_KEY_BYTES = 24;

/**
 * Runs the handshake on `socket` and resolves with the session key. With `pinnedKeySha256`
 * non-empty, a server whose key is not listed is refused before it receives anything more.
 */
export async function performHandshake(socket: SamSocket, readTimeoutMs: number, pinnedKeySha256: readonly string[] = []): Promise<Uint8Array> {
  const keys = await atStep(LegacyCode.HandshakeKeyGeneration, 'SAM handshake: generating the RSA key pair', generateHandshakeKeyPair);
  const pem = await atStep(LegacyCode.HandshakeKeyExport, 'SAM handshake: exporting our public key', () => Promise.resolve(publicKeyPem(keys.publicKey)));
  await atStep(LegacyCode.HandshakeSendHello, 'SAM handshake: sending Hello', () => socket.write(encodeFrame(LKEY, asciiBytes(`Hello ${pem}`))));

  const frame = await atStep(LegacyCode.HandshakeReceive, 'SAM handshake: receiving the server Hello', () => socket.read(frameEnd, readTimeoutMs));
  const hello = decodeFrame(LKEY, frame);
  if (hello === undefined || !startsWithBytes(hello, asciiBytes('Hello')) || hello.length < SERVER_NONCE_RANGE[1]) {
    throw new LegacyFailure(LegacyCode.HandshakeMalformedHello, 'the server Hello is malformed');
  }
  const serverNonce = decryptServerNonce(keys, hello);

  const clientNonce = new Uint8Array(randomBytes(CLIENT_NONCE_BYTES));
  const encryptedNonce = await atStep(LegacyCode.HandshakeServerKey, 'SAM handshake: encrypting our nonce to the server key', () => {
    const serverKey = loadRsaPublicKey(Buffer.from(hello.subarray(...SERVER_KEY_RANGE)).toString('latin1'));
    if (pinnedKeySha256.length > 0 && !pinnedKeySha256.includes(publicKeySha256(serverKey))) {
      throw new LegacyFailure(LegacyCode.HandshakeServerKey, 'the server key is not the pinned one');
    }
    return Promise.resolve(rsaEncryptPkcs1(serverKey, clientNonce));
  });
  const nonceMessage = concatBytes(asciiBytes(` ${encryptedNonce.length} `), encryptedNonce, END_MARKER);
  await atStep(LegacyCode.HandshakeSendNonce, 'SAM handshake: sending our nonce', () => socket.write(nonceMessage));

  return concatBytes(clientNonce, serverNonce).slice(0, SESSION_KEY_BYTES);
}

function decryptServerNonce(keys: HandshakeKeyPair, hello: Uint8Array): Uint8Array {
  const nonce = rsaDecryptPkcs1(keys.privateKey, hello.subarray(...SERVER_NONCE_RANGE));
  // The session key takes 24 bytes from our 16-byte nonce and the server's, so it needs at least 8.
  if (nonce === undefined || nonce.length < SESSION_KEY_BYTES - CLIENT_NONCE_BYTES) {
    throw new LegacyFailure(LegacyCode.HandshakeReceive, 'the server nonce does not decrypt with our key');
  }
  return nonce;
}

/** SHA-256 of a public key's DER SubjectPublicKeyInfo, lower-case hex: what key pins list. */
export function publicKeySha256(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}
