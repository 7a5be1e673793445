/**
 * The eCPA back end's side of EnCrypt: undo the published obfuscation
 * (`hex(3DES_LKEY1(chunk7(3DES_k(pad(P)))))`, k from the card id and the date) to recover the
 * password the card holder typed. It protects nothing; the real service checks it the same way.
 */
import { unchunk7 } from '../../native-host/legacy/chunk7';
import { pkcs5Unpad, tripleDesDecrypt } from '../../native-host/legacy/des-ecb';
import { encryptKey } from '../../native-host/legacy/encrypt-password';
import { LKEY1 } from '../../native-host/legacy/legacy-keys';

const BLOCK = 8;

/** The password inside an EnCrypt reply payload, or undefined when it does not decode. */
export function decryptEncryptReply(hex: string, cardId: string, day: Date): string | undefined {
  if (!/^(?:[0-9A-F]{16})+$/.test(hex)) return undefined;
  const outer = tripleDesDecrypt(LKEY1, Buffer.from(hex, 'hex'));
  const chunked = unchunk7(outer);
  // chunk7 zero-filled its last piece: the inner ciphertext is the whole blocks in front of that.
  const inner = chunked.subarray(0, chunked.length - (chunked.length % BLOCK));
  if (inner.length === 0) return undefined;
  const padded = tripleDesDecrypt(encryptKey(Buffer.from(cardId, 'latin1'), day), inner);
  const password = pkcs5Unpad(padded);
  return password === undefined ? undefined : Buffer.from(password).toString('latin1');
}

/** True when the reply holds `password` for this card today (or yesterday, across midnight). */
export function encryptReplyMatches(hex: string, cardId: string, password: string, now: Date): boolean {
  const yesterday = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  return [now, yesterday].some((day) => decryptEncryptReply(hex, cardId, day) === password);
}
