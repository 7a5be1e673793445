/**
 * SecureGetBasicWithParam, as the official component computes it:
 * `hex(DES_{ASCII(MMDDYYYY)}(chunk7(blob)))` where blob is the GetBasic CSV in Big5.
 * A fixed-key obfuscation kept only for compatibility; the page's password is not used.
 */
import { chunk7, randomFiller, type FillerSource } from './chunk7';
import { desEncrypt } from './des-ecb';
import { localMmddyyyy } from './local-date';

/** SecureGetBasicWithParam's reply payload (upper-case hex) for the CSV bytes `blob`. */
export function encryptBasicBlob(blob: Uint8Array, today: Date, filler: FillerSource = randomFiller): string {
  const key = new TextEncoder().encode(localMmddyyyy(today));
  return Buffer.from(desEncrypt(key, chunk7(blob, filler))).toString('hex').toUpperCase();
}
