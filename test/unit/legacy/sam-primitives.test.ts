import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunk7, unchunk7 } from '../../../native-host/legacy/chunk7';
import { pkcs5Pad, pkcs5Unpad } from '../../../native-host/legacy/des-ecb';
import { publicKeyPem, rsaDecryptPkcs1, unpadPkcs1Type2 } from '../../../native-host/legacy/sam-crypto';
import { decodeFrame, encodeFrame, isCompleteFrame } from '../../../native-host/legacy/sam-frame';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/gu, ''), 'hex'));

describe('RSA PKCS#1 v1.5 decryption without the padded private operation', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });

  it('recovers what Node encrypted with PKCS#1 v1.5', () => {
    const nonce = Uint8Array.from({ length: 16 }, (_, index) => index + 1);
    const block = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, nonce);
    expect(rsaDecryptPkcs1(privateKey, block)).toEqual(nonce);
  });

  it('exports the public key as the 271-character PEM the Hello carries', () => {
    const pem = publicKeyPem(publicKey);
    expect(pem.startsWith('-----BEGIN PUBLIC KEY-----\n')).toBe(true);
    expect(pem.endsWith('-----END PUBLIC KEY-----')).toBe(true);
    expect(pem).toHaveLength(271);
  });

  it('rejects a block of the wrong size or above the modulus', () => {
    expect(rsaDecryptPkcs1(privateKey, new Uint8Array(127))).toBeUndefined();
    expect(rsaDecryptPkcs1(privateKey, new Uint8Array(128).fill(0xff))).toBeUndefined();
  });

  /** A 128-byte block: first byte, block type, `padding` bytes of 0x11, a 00 separator, then the message. */
  const block = (first: number, type: number, padding: number): Uint8Array => {
    const out = new Uint8Array(128).fill(0x11);
    out[0] = first;
    out[1] = type;
    out[2 + padding] = 0x00;
    out.fill(0x00, 3 + padding);
    return out;
  };

  it('unpads a well-formed block', () => {
    expect(unpadPkcs1Type2(block(0x00, 0x02, 109))).toEqual(new Uint8Array(16));
  });

  it.each([
    { name: 'a first byte other than 00', bytes: block(0x01, 0x02, 109) },
    { name: 'block type 1 (signature padding)', bytes: block(0x00, 0x01, 109) },
    { name: 'fewer than 8 padding bytes', bytes: block(0x00, 0x02, 7) },
    { name: 'no separator', bytes: Uint8Array.from([0x00, 0x02, ...new Uint8Array(126).fill(0x11)]) },
    { name: 'a short block', bytes: new Uint8Array(64) },
  ])('rejects $name', ({ bytes }) => {
    expect(unpadPkcs1Type2(bytes)).toBeUndefined();
  });
});

describe('SAM frames', () => {
  const key = hex('0123456789ABCDEF FEDCBA9876543210 0011223344556677');

  it('round-trips a payload and ends with <E>', () => {
    const payload = new TextEncoder().encode('01<id=12>000012345678<rn=8>ABCDEFGH<E>');
    const frame = encodeFrame(key, payload);
    expect(Buffer.from(frame.subarray(-3)).toString('latin1')).toBe('<E>');
    expect(isCompleteFrame(frame)).toBe(true);
    expect(decodeFrame(key, frame)).toEqual(payload);
  });

  it('waits for whole cipher blocks before taking <E> as the end', () => {
    expect(isCompleteFrame(new TextEncoder().encode('abcde<E>'))).toBe(false);
    expect(isCompleteFrame(new TextEncoder().encode('<E>'))).toBe(false);
  });

  it('rejects a frame under the wrong key', () => {
    const frame = encodeFrame(key, new TextEncoder().encode('77'));
    const other = decodeFrame(hex('11'.repeat(24)), frame);
    expect(other === undefined || Buffer.from(other).toString('latin1') !== '77').toBe(true);
  });
});

describe('PKCS#5 and chunk7', () => {
  it.each([0, 1, 7, 8, 15])('pads and unpads %i bytes', (length) => {
    const data = new Uint8Array(length).fill(0x41);
    const padded = pkcs5Pad(data);
    expect(padded.length % 8).toBe(0);
    expect(padded.length - length).toBeGreaterThanOrEqual(1);
    expect(pkcs5Unpad(padded)).toEqual(data);
  });

  it.each([
    { name: 'a zero pad byte', bytes: hex('4141414141414100') },
    { name: 'a pad byte above 8', bytes: hex('4141414141414109') },
    { name: 'inconsistent pad bytes', bytes: hex('4141414141030203') },
    { name: 'nothing', bytes: new Uint8Array(0) },
  ])('rejects $name', ({ bytes }) => {
    expect(pkcs5Unpad(bytes)).toBeUndefined();
  });

  it('puts 7 data bytes and one filler byte in each block', () => {
    const chunked = chunk7(hex('01020304050607 0809'), () => 0xee);
    expect(Buffer.from(chunked).toString('hex')).toBe('01020304050607ee' + '08090000000000ee');
    expect(unchunk7(chunked)).toEqual(hex('01020304050607 08090000000000'));
  });
});
