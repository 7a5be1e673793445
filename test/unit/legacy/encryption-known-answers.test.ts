/**
 * Known answers for EnCrypt and SecureGetBasic. The literal hex values were derived outside this
 * code base with the openssl CLI (`openssl enc -des-ede3 / -des-ecb -nopad`) from the published
 * algorithm description; each test also re-derives them step by step with node:crypto, so a
 * wrong constant and a wrong implementation cannot agree by accident.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { basicCsvBytes, basicCsvText, trimBig5Name } from '../../../native-host/legacy/basic-csv';
import { randomFiller } from '../../../native-host/legacy/chunk7';
import { encryptPassword } from '../../../native-host/legacy/encrypt-password';
import { LKEY, LKEY1 } from '../../../native-host/legacy/legacy-keys';
import { encryptBasicBlob } from '../../../native-host/legacy/secure-basic';
import type { BasicRecord } from '../../../native-host/card/basic-record.types';
import { DEMO_IDENTITY } from '../../fixtures/profiles';

const CARD_ID = Buffer.from('000012345678', 'latin1');
const JAN_15 = new Date(2024, 0, 15, 23, 59, 59);
const JAN_16 = new Date(2024, 0, 16, 0, 0, 0);
/** A fixed chunk7 filler byte, so the random byte of each block is known. */
const FILLER = 0xa5;

function des3(key: Buffer, data: Buffer): Buffer {
  const cipher = createCipheriv('des-ede3', key, null).setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

function chunk7ByHand(data: Buffer, filler: number): Buffer {
  const blocks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += 7) {
    const piece = Buffer.alloc(8);
    data.copy(piece, 0, offset, Math.min(offset + 7, data.length));
    piece[7] = filler;
    blocks.push(piece);
  }
  return Buffer.concat(blocks);
}

describe('randomFiller', () => {
  it('keeps giving varied bytes across refills of its pool', () => {
    const bytes = Array.from({ length: 1000 }, () => randomFiller());
    expect(bytes.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255)).toBe(true);
    expect(new Set(bytes.slice(0, 256)).size).toBeGreaterThan(100);
    expect(new Set(bytes.slice(700)).size).toBeGreaterThan(100);
  });
});

describe('the published keys', () => {
  it('derives LKEY and LKEY1 from B and the K-boxes', () => {
    // B = "12345678123456780" x 10; KBOX[0..15] and KBOX1 pick these ASCII digits.
    expect(Buffer.from(LKEY).toString('hex')).toBe('323732353236383634313831353635320000000000000000');
    expect(Buffer.from(LKEY1).toString('hex')).toBe('323732353236383634313831353635323437323737363536');
  });
});

describe('EnCrypt known answers', () => {
  it.each([
    { date: JAN_15, ymd: '20240115', pwd: 'abc123', expected: '5F975B191F6053D35C14F9FBF6709840' },
    { date: JAN_15, ymd: '20240115', pwd: 'Passw0rd!xyz', expected: 'DE45393C1BAE636DD9FEEB1F435DDDC8AB3E43C237750D54' },
    { date: JAN_16, ymd: '20240116', pwd: 'abc123', expected: 'E388AC8C3DD74B937A6E54CB5171DF7D' },
    { date: JAN_16, ymd: '20240116', pwd: 'Passw0rd!xyz', expected: 'A1E71ABF8FE163C81A297F29ED5095581C130EAA5BB98E99' },
  ])('encrypts $pwd on $ymd', ({ date, ymd, pwd, expected }) => {
    const key = Buffer.concat([createHash('sha1').update(Buffer.concat([CARD_ID, Buffer.from(ymd, 'latin1')])).digest(), Buffer.from('27065866', 'hex')]);
    const padLength = 8 - (pwd.length % 8);
    const padded = Buffer.concat([Buffer.from(pwd, 'latin1'), Buffer.alloc(padLength, padLength)]);
    const lkey1 = Buffer.from('323732353236383634313831353635323437323737363536', 'hex');
    const byHand = des3(lkey1, chunk7ByHand(des3(key, padded), FILLER)).toString('hex').toUpperCase();

    expect(byHand).toBe(expected);
    expect(encryptPassword({ pwd, cardId: CARD_ID, today: date, filler: () => FILLER })).toBe(expected);
  });

  it('changes at local midnight', () => {
    const before = encryptPassword({ pwd: 'abc123', cardId: CARD_ID, today: JAN_15, filler: () => FILLER });
    const after = encryptPassword({ pwd: 'abc123', cardId: CARD_ID, today: JAN_16, filler: () => FILLER });
    expect(before).not.toBe(after);
  });

  it('answers for the card it is given, whichever card came before (the ciphers it keeps carry no state)', () => {
    const otherCard = Buffer.from('000087654321', 'latin1');
    const encrypt = (cardId: Buffer) => encryptPassword({ pwd: 'abc123', cardId, today: JAN_15, filler: () => FILLER });
    const first = encrypt(CARD_ID);
    const other = encrypt(otherCard);
    expect(first).toBe('5F975B191F6053D35C14F9FBF6709840');
    expect(other).not.toBe(first);
    expect([encrypt(CARD_ID), encrypt(CARD_ID), encrypt(otherCard)]).toEqual([first, first, other]);
  });
});

const DEMO_RECORD: BasicRecord = {
  ...DEMO_IDENTITY,
  birthRoc: '0800101',
  issueRoc: '1100315',
  nameBytes: Uint8Array.from([...Buffer.from('b3afa470a9fa', 'hex'), ...new Uint8Array(14)]),
};

describe('SecureGetBasicWithParam known answers', () => {
  const blob = Buffer.concat([Buffer.from('000012345678,A123456789,', 'latin1'), Buffer.from('b3afa470a9fa', 'hex'), Buffer.from(',0800101,M,0', 'latin1')]);

  it('builds the Big5 CSV from the raw name bytes', () => {
    const source = { record: DEMO_RECORD, terminationFlag: '0' };
    expect(Buffer.from(basicCsvBytes(source))).toEqual(blob);
    expect(basicCsvText(source)).toBe('000012345678,A123456789,陳小明,0800101,M,0');
  });

  it.each([
    { date: JAN_15, mdy: '01152024', expected: 'C7A87DE00C1F4300A5E8C283916BA3E37955BBEA390A0A4227AFA35A8C423514482002295CCFD39A5C59035CA19A2293' },
    { date: JAN_16, mdy: '01162024', expected: '815FE6E69EF730592EAB371F9A4CE3DDDCB2F4C85756CB621042E9086E390D257CAF90CF388C17FD33EEF25C1F83AE1C' },
  ])('encrypts the demo CSV on $mdy', ({ date, mdy, expected }) => {
    const key = Buffer.from(mdy, 'latin1');
    const byHand = des3(Buffer.concat([key, key, key]), chunk7ByHand(blob, 0x5a)).toString('hex').toUpperCase();
    expect(byHand).toBe(expected);
    expect(encryptBasicBlob(blob, date, () => 0x5a)).toBe(expected);
  });
});

describe('trimBig5Name', () => {
  const name = Buffer.from('b3afa470a9fa', 'hex');
  it.each([
    { name: 'NUL padding', field: Buffer.concat([name, Buffer.alloc(14)]), expected: name },
    { name: 'space padding', field: Buffer.concat([name, Buffer.alloc(14, 0x20)]), expected: name },
    { name: 'full-width space padding', field: Buffer.concat([name, Buffer.from('a140'.repeat(7), 'hex')]), expected: name },
    { name: 'a trail byte that looks like a full-width space lead', field: Buffer.from('a4a1a140' + '00'.repeat(16), 'hex'), expected: Buffer.from('a4a1', 'hex') },
    { name: 'a lead byte cut off by truncation', field: Buffer.from('41'.repeat(19) + 'b3', 'hex'), expected: Buffer.from('41'.repeat(19), 'hex') },
    { name: 'a full field', field: Buffer.from('b3af'.repeat(10), 'hex'), expected: Buffer.from('b3af'.repeat(10), 'hex') },
  ])('trims $name', ({ field, expected }) => {
    expect(Buffer.from(trimBig5Name(field))).toEqual(expected);
  });
});
