import { describe, expect, it } from 'vitest';
import { httpApiAnswer, type HttpApiServices } from '../../../extension/background/nhiicc-http/http-api';
import { answerFor, legacyLineFor } from '../../../extension/background/nhiicc-http/http-api-answers';
import { MAX_LEGACY_LINE_LENGTH } from '../../../native-host/protocol/limits';
const SIGNATURE = 'S'.repeat(256);
// Made-up card data, shaped like the demo profile's.
const BASIC_CSV = '000012345678,A123456789,王小明,0650101,M,0';

describe('HTTP calls as legacy lines', () => {
  it.each([
    ['GetVersion', '', 'GetVersion'],
    ['GetRandom', 'ignored', 'GetRandom'],
    ['GetBasic', '', 'GetBasic'],
    ['SignHC', '{"random":"00111234567890123456"}', 'H_Sign?Random=00111234567890123456'],
    ['EncryptPwd', '{"pwd":"Secret-1"}', 'EnCrypt?Pwd=Secret-1'],
    ['GetEncryptBasic', '{"pwd":"Secret-1"}', 'SecureGetBasicWithParam?Pwd=Secret-1'],
  ] as const)('%s with body %j sends %s', (call, body, line) => {
    expect(legacyLineFor(call, body)).toBe(line);
  });

  it.each(['', 'random=0011', '{"random":11}', '[]', 'null', '{"pwd":"x"}', `{"random":"${'1'.repeat(MAX_LEGACY_LINE_LENGTH)}"}`])('gives SignHC nothing to send for body %j', (body) => {
    expect(legacyLineFor('SignHC', body)).toBeUndefined();
  });
});

describe('legacy replies as the JSON the library reads', () => {
  it.each([
    ['GetVersion', 'GetVersion:0011', { result: '0000', version: '0011' }],
    ['GetRandom', 'GetRandom:1234567890123456', { result: '0000', random: '1234567890123456' }],
    ['SignHC', `H_Sign:${SIGNATURE}`, { result: '0000', sign: SIGNATURE }],
    ['EncryptPwd', 'EnCrypt:ABCDEF', { result: '0000', pwd_encrypt: 'ABCDEF' }],
    ['GetEncryptBasic', 'SecureGetBasicWithParam:0123', { result: '0000', basic_encrypt: '0123' }],
    ['GetBasic', `GetBasic:${BASIC_CSV}`, { result: '0000', card_no: '000012345678', as_id: 'A123456789', name: '王小明', birthday: '0650101', sex: 'M', card_termination: '0' }],
  ] as const)('%s: %s', (call, reply, answer) => {
    expect(answerFor(call, reply)).toEqual(answer);
  });

  it('puts the library\'s comma-joined Basic back together exactly, a comma in the name included', () => {
    const csv = '000012345678,A123456789,SMITH, JOHN,0650101,M,0';
    const answer = answerFor('GetBasic', `GetBasic:${csv}`);
    expect([answer.card_no, answer.as_id, answer.name, answer.birthday, answer.sex, answer.card_termination].join(',')).toBe(csv);
  });

  it.each([
    ['GetBasic', '7004', { result: '7004' }],
    ['SignHC', '4061', { result: '4061' }],
    ['EncryptPwd', '8009', { result: '8009' }],
    // The WebSocket protocol reports a failed signature as a short H_Sign payload.
    ['SignHC', 'H_Sign:8006', { result: '8006' }],
    ['SignHC', 'H_Sign:short', { result: '8008' }],
    ['GetBasic', 'GetBasic:too,few', { result: '8011' }],
    // A reply to another command is never passed off as this one's.
    ['GetVersion', 'GetRandom:1234567890123456', { result: '9999' }],
  ] as const)('%s: %s is a failure with a code', (call, reply, answer) => {
    expect(answerFor(call, reply)).toEqual(answer);
  });
});

/** The router's side, scripted: legacy replies by line, and whether a card is present. */
function scripted(replies: Record<string, string>, cardPresent = true): HttpApiServices & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    legacyReply(line) {
      lines.push(line);
      const reply = replies[line];
      return reply === undefined ? Promise.reject(new Error(`unexpected line ${line}`)) : Promise.resolve(reply);
    },
    cardPresent: () => Promise.resolve(cardPresent),
  };
}

/** The JSON text a status image carries, read back from its data: URL's BMP pixels. */
function imageText(url: string): string {
  const bytes = Buffer.from(url.slice('data:image/bmp;base64,'.length), 'base64');
  return bytes.subarray(54).toString('latin1').replace(/\0+$/u, '');
}

describe('the answer to one HTTP API request', () => {
  it('is the JSON the library reads for a call, through the legacy line', async () => {
    const services = scripted({ 'EnCrypt?Pwd=Secret-1': 'EnCrypt:ABCDEF' });

    expect(await httpApiAnswer('EncryptPwd', '{"pwd":"Secret-1"}', services)).toBe('{"result":"0000","pwd_encrypt":"ABCDEF"}');
    expect(services.lines).toEqual(['EnCrypt?Pwd=Secret-1']);
  });

  it('is 9999 for a body it cannot use, and nothing is sent', async () => {
    const services = scripted({});

    expect(await httpApiAnswer('SignHC', 'not json', services)).toBe('{"result":"9999"}');
    expect(services.lines).toEqual([]);
  });

  it('keeps a name as it is in the JSON, beyond ASCII included', async () => {
    const services = scripted({ GetBasic: `GetBasic:${BASIC_CSV}` });

    expect(JSON.parse(await httpApiAnswer('GetBasic', '', services))).toMatchObject({ result: '0000', name: '王小明' });
  });

  it.each([
    ['GetStatus.bmp', true, '{"result":"0000"}'],
    ['GetStatus.bmp', false, '{"result":"0000"}'],
    ['GetCardStatus.bmp', true, '{"result":"0000"}'],
    ['GetCardStatus.bmp', false, '{"result":"7004"}'],
  ] as const)('is for %s (card present: %s) a bitmap that reads %s', async (image, cardPresent, text) => {
    const services = scripted({}, cardPresent);

    const url = await httpApiAnswer(image, '', services);

    expect(url.startsWith('data:image/bmp;base64,')).toBe(true);
    expect(imageText(url)).toBe(text);
    expect(services.lines).toEqual([]);
  });
});
