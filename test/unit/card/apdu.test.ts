import { describe, expect, it } from 'vitest';
import { CommandApdu, ResponseApdu } from '../../../native-host/card/apdu';
import { fromHex, toHex } from '../../../native-host/card/hex';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { expectNhiCardError } from './nhi-card-error-expectations';

describe('CommandApdu', () => {
  it.each([
    ['case 1: header only', { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00 }, '00 A4 04 00'],
    ['case 2: header and Le', { cla: 0x00, ins: 0x84, p1: 0x00, p2: 0x00, le: 0x08 }, '00 84 00 00 08'],
    ['case 3: header and data', { cla: 0x00, ins: 0xca, p1: 0x11, p2: 0x00, data: fromHex('00 00') }, '00 CA 11 00 02 00 00'],
    ['case 4: data and Le 00', { cla: 0x00, ins: 0xca, p1: 0x11, p2: 0x00, data: fromHex('00 00'), le: 0 }, '00 CA 11 00 02 00 00 00'],
  ])('encodes %s', (_case, fields, hex) => {
    expect(toHex(new CommandApdu(fields).toBytes())).toBe(hex);
  });

  it('resends with another Le, keeping header and data', () => {
    const command = new CommandApdu({ cla: 0x00, ins: 0xca, p1: 0x24, p2: 0x00, data: fromHex('00 00'), le: 0 });
    expect(command.withLe(0x10).toString()).toBe('00 CA 24 00 02 00 00 10');
  });

  it('cannot be changed through its data', () => {
    const data = fromHex('01 02');
    const command = new CommandApdu({ cla: 0, ins: 0xca, p1: 0, p2: 0, data });
    data[0] = 0xff;
    command.data[1] = 0xff;
    expect(command.toString()).toBe('00 CA 00 00 02 01 02');
  });

  it.each([
    ['a CLA above 255', { cla: 0x100, ins: 0, p1: 0, p2: 0 }],
    ['a negative P1', { cla: 0, ins: 0, p1: -1, p2: 0 }],
    ['a fractional P2', { cla: 0, ins: 0, p1: 0, p2: 0.5 }],
    ['an Le above 255', { cla: 0, ins: 0, p1: 0, p2: 0, le: 256 }],
    ['256 data bytes', { cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(256) }],
  ])('refuses %s', (_case, fields) => {
    expectNhiCardError(() => new CommandApdu(fields), ErrorCode.Internal);
  });
});

describe('ResponseApdu', () => {
  it('splits data from the status word', () => {
    const response = ResponseApdu.fromBytes(fromHex('01 02 03 90 00'));
    expect(response.data).toEqual(fromHex('01 02 03'));
    expect([response.sw1, response.sw2, response.sw, response.swHex]).toEqual([0x90, 0x00, 0x9000, '9000']);
    expect(response.isSuccess).toBe(true);
  });

  it('parses a bare status word as no data', () => {
    const response = ResponseApdu.fromBytes(fromHex('6A 82'));
    expect(response.data).toHaveLength(0);
    expect(response.swHex).toBe('6A82');
    expect(response.isSuccess).toBe(false);
  });

  it.each([[''], ['90']])('treats the answer %j (shorter than a status word) as a removed card', (hex) => {
    const error = expectNhiCardError(() => ResponseApdu.fromBytes(fromHex(hex)), ErrorCode.CardRemoved);
    expect(error.message).toBe('the card stopped answering: it may have been removed');
  });
});

describe('hex', () => {
  it('writes upper-case bytes separated by spaces, or by the given separator', () => {
    expect(toHex(fromHex('0a ff 00'))).toBe('0A FF 00');
    expect(toHex(fromHex('0aff00'), '')).toBe('0AFF00');
  });

  it.each([['abc'], ['zz'], ['0x12']])('refuses %j as hex', (text) => {
    expectNhiCardError(() => fromHex(text), ErrorCode.Internal);
  });
});
