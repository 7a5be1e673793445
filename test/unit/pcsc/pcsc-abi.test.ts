/**
 * SCARD_READERSTATE as each platform's C compiler lays it out, computed from PcscAbi and checked
 * two ways: against the sizes the headers give (winscard.h, pcsc-lite's pcsclite.h), and against
 * koffi's own struct layout of the same fields.
 */
import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { abiFor, ioRequestSize, LINUX_64_ABI, MACOS_64_ABI, readerStateLayout, WINDOWS_X64_ABI, type PcscAbi } from '../../../native-host/pcsc/ffi/pcsc-abi';

describe('SCARD_READERSTATE layouts', () => {
  it('Windows x64: 32-bit DWORDs, 36-byte ATR, 64 bytes in all', () => {
    expect(readerStateLayout(WINDOWS_X64_ABI)).toEqual({
      szReader: 0,
      pvUserData: 8,
      dwCurrentState: 16,
      dwEventState: 20,
      cbAtr: 24,
      rgbAtr: 28,
      size: 64,
    });
  });

  it('Linux x64: pcsc-lite\'s 64-bit DWORDs, 33-byte ATR padded to 80 bytes', () => {
    expect(readerStateLayout(LINUX_64_ABI)).toEqual({
      szReader: 0,
      pvUserData: 8,
      dwCurrentState: 16,
      dwEventState: 24,
      cbAtr: 32,
      rgbAtr: 40,
      size: 80,
    });
  });

  it('macOS: packed, 61 bytes', () => {
    expect(readerStateLayout(MACOS_64_ABI)).toMatchObject({ dwCurrentState: 16, rgbAtr: 28, size: 61 });
  });

  it.each([
    ['Windows x64', WINDOWS_X64_ABI],
    ['Linux x64', LINUX_64_ABI],
    ['macOS', MACOS_64_ABI],
  ] as const)('%s agrees with koffi laying out the same C struct', (_name, abi: PcscAbi) => {
    const fields = {
      szReader: 'uint64',
      pvUserData: 'uint64',
      dwCurrentState: abi.dword,
      dwEventState: abi.dword,
      cbAtr: abi.dword,
      rgbAtr: koffi.array('uint8', abi.atrSize),
    };
    const type = abi.packed ? koffi.pack(fields) : koffi.struct(fields);
    const layout = readerStateLayout(abi);
    expect(layout.size).toBe(koffi.sizeof(type));
    for (const field of Object.keys(fields)) {
      expect(layout[field as keyof typeof layout], field).toBe(koffi.offsetof(type, field));
    }
  });

  it('SCARD_IO_REQUEST is two DWORDs', () => {
    expect(ioRequestSize(WINDOWS_X64_ABI)).toBe(8);
    expect(ioRequestSize(LINUX_64_ABI)).toBe(16);
  });
});

describe('abiFor', () => {
  it.each([
    ['win32', 'x64', WINDOWS_X64_ABI],
    ['win32', 'arm64', WINDOWS_X64_ABI],
    ['linux', 'x64', LINUX_64_ABI],
    ['linux', 'arm64', LINUX_64_ABI],
    ['darwin', 'arm64', MACOS_64_ABI],
  ])('%s/%s', (platform, arch, abi) => {
    expect(abiFor(platform, arch)).toBe(abi);
  });

  it('names what it does not support', () => {
    expect(() => abiFor('linux', 'ia32')).toThrow('does not support linux/ia32');
  });

  it('uses the W entry points and winscard.dll on Windows only', () => {
    expect(WINDOWS_X64_ABI).toMatchObject({ library: 'winscard.dll', wide: true });
    expect(LINUX_64_ABI).toMatchObject({ library: 'libpcsclite.so.1', wide: false });
  });
});
