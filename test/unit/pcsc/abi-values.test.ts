import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeMultiString, encodeString, integerBuffer, readInteger, statusOf } from '../../../native-host/pcsc/ffi/abi-values';
import { LINUX_64_ABI, WINDOWS_X64_ABI } from '../../../native-host/pcsc/ffi/pcsc-abi';
import { ReaderStates } from '../../../native-host/pcsc/ffi/reader-states';

describe('C values per ABI', () => {
  it('reads a LONG status the same from 32-bit (negative) and 64-bit (positive) returns', () => {
    expect(statusOf(-2146435043)).toBe(0x8010001d);
    expect(statusOf(0x8010001dn)).toBe(0x8010001d);
    expect(statusOf(0)).toBe(0);
  });

  it('encodes reader names as UTF-16 on Windows and UTF-8 elsewhere, NUL-terminated', () => {
    expect(encodeString(WINDOWS_X64_ABI, '讀卡機 0')).toEqual(Buffer.from('讀卡機 0\0', 'utf16le'));
    expect(encodeString(LINUX_64_ABI, '讀卡機 0')).toEqual(Buffer.from('讀卡機 0\0', 'utf8'));
  });

  it('splits a multi-string by the length PC/SC returned, in characters', () => {
    const wide = Buffer.from('Reader A\0讀卡機 B\0\0garbage', 'utf16le');
    expect(decodeMultiString(WINDOWS_X64_ABI, wide, 'Reader A\0讀卡機 B\0\0'.length)).toEqual(['Reader A', '讀卡機 B']);
    const narrow = Buffer.from('vpcd 0\0vpcd 1\0\0', 'utf8');
    expect(decodeMultiString(LINUX_64_ABI, narrow, narrow.length)).toEqual(['vpcd 0', 'vpcd 1']);
  });

  it('sizes output integers by the ABI', () => {
    expect(integerBuffer(WINDOWS_X64_ABI.dword).length).toBe(4);
    expect(integerBuffer(LINUX_64_ABI.dword).length).toBe(8);
    expect(readInteger(integerBuffer('uint32', 0xffffffffn), 0, 'uint32')).toBe(0xffffffffn);
  });
});

describe('ReaderStates', () => {
  it.each([
    ['Windows x64', WINDOWS_X64_ABI, 64, 16, 24, 28],
    ['Linux x64', LINUX_64_ABI, 80, 16, 32, 40],
  ] as const)('%s: writes names and current states where the C struct has them', (_name, abi, stride, current, cbAtr, rgbAtr) => {
    const addresses = new Map<Buffer, bigint>();
    const addressOf = (buffer: Buffer): bigint => {
      const address = BigInt(0x1000 * (addresses.size + 1));
      addresses.set(buffer, address);
      return address;
    };
    const states = new ReaderStates(abi, addressOf, [
      { name: 'A', currentState: 0x10 },
      { name: 'B', currentState: 0x20 },
    ]);
    expect(states.buffer.length).toBe(2 * stride);
    expect(states.buffer.readBigUInt64LE(0)).toBe(0x1000n);
    expect(states.buffer.readBigUInt64LE(stride)).toBe(0x2000n);
    expect(states.buffer.readUInt32LE(stride + current)).toBe(0x20);
    // What PC/SC writes back: event state, ATR length and bytes.
    states.buffer.writeUInt32LE(0x00010022, stride + current + (abi.dword === 'uint32' ? 4 : 8));
    states.buffer.writeUInt32LE(3, stride + cbAtr);
    Buffer.from([0x3b, 0x02, 0x14]).copy(states.buffer, stride + rgbAtr);
    expect(states.eventState(1)).toBe(0x00010022);
    expect(states.atr(1).toString('hex')).toBe('3b0214');
    expect(states.atr(0).length).toBe(0);
  });

  it('never reads past rgbAtr when PC/SC reports a longer ATR', () => {
    const states = new ReaderStates(WINDOWS_X64_ABI, () => 1n, [{ name: 'A', currentState: 0 }]);
    states.buffer.writeUInt32LE(500, 24);
    expect(states.atr(0).length).toBe(36);
  });
});
