/**
 * How the platform's PC/SC library looks from C, per platform: integer widths, struct packing,
 * string encoding, entry-point names. Pure data, so the Windows layout is checked on Linux.
 */

/** Fixed-width integer types, named as koffi names them. */
export type IntegerType = 'int32' | 'uint32' | 'int64' | 'uint64';

export interface PcscAbi {
  /** What `koffi.load` opens. */
  readonly library: string;
  /** DWORD: 32-bit on Windows and macOS, `unsigned long` (64-bit) in pcsc-lite on 64-bit Linux. */
  readonly dword: IntegerType;
  /** LONG, the return type of every call. */
  readonly long: IntegerType;
  /** SCARDCONTEXT and SCARDHANDLE. */
  readonly handle: IntegerType;
  /** Bytes of a pointer. */
  readonly pointerSize: 8;
  /** rgbAtr's length in SCARD_READERSTATE (MAX_ATR_SIZE: 36 on Windows, 33 in pcsc-lite). */
  readonly atrSize: number;
  /** macOS's PCSC.framework packs its structs to 1 byte. */
  readonly packed: boolean;
  /** Windows: the `W` entry points and UTF-16 strings; elsewhere UTF-8 and no suffix. */
  readonly wide: boolean;
}

/** Windows x64 (winscard.dll, LLP64). */
export const WINDOWS_X64_ABI: PcscAbi = {
  library: 'winscard.dll',
  dword: 'uint32',
  long: 'int32',
  handle: 'uint64',
  pointerSize: 8,
  atrSize: 36,
  packed: false,
  wide: true,
};

/** 64-bit Linux (pcsc-lite's libpcsclite.so.1, LP64). */
export const LINUX_64_ABI: PcscAbi = {
  library: 'libpcsclite.so.1',
  dword: 'uint64',
  long: 'int64',
  handle: 'int64',
  pointerSize: 8,
  atrSize: 33,
  packed: false,
  wide: false,
};

/** 64-bit macOS (PCSC.framework: 32-bit DWORD and handles, packed structs). */
export const MACOS_64_ABI: PcscAbi = {
  library: '/System/Library/Frameworks/PCSC.framework/PCSC',
  dword: 'uint32',
  long: 'int32',
  handle: 'int32',
  pointerSize: 8,
  atrSize: 33,
  packed: true,
  wide: false,
};

/** The ABI of `platform`/`arch`; throws for a combination the ffi backend does not know. */
export function abiFor(platform: string, arch: string): PcscAbi {
  const is64 = arch === 'x64' || arch === 'arm64';
  if (platform === 'win32' && is64) return WINDOWS_X64_ABI;
  if (platform === 'linux' && is64) return LINUX_64_ABI;
  if (platform === 'darwin' && is64) return MACOS_64_ABI;
  throw new Error(`the ffi PC/SC backend does not support ${platform}/${arch}`);
}

/** Bytes of one fixed-width integer type. */
export function sizeOf(type: IntegerType): 4 | 8 {
  return type === 'int32' || type === 'uint32' ? 4 : 8;
}

/** Byte offsets of SCARD_READERSTATE's fields, and its size (what an array of them strides by). */
export interface ReaderStateLayout {
  readonly szReader: number;
  readonly pvUserData: number;
  readonly dwCurrentState: number;
  readonly dwEventState: number;
  readonly cbAtr: number;
  readonly rgbAtr: number;
  readonly size: number;
}

/** Lays SCARD_READERSTATE out by C's rules (natural alignment, or none when packed). */
export function readerStateLayout(abi: PcscAbi): ReaderStateLayout {
  const dword = sizeOf(abi.dword);
  const fields: [keyof Omit<ReaderStateLayout, 'size'>, number, number][] = [
    // name, size, alignment
    ['szReader', abi.pointerSize, abi.pointerSize],
    ['pvUserData', abi.pointerSize, abi.pointerSize],
    ['dwCurrentState', dword, dword],
    ['dwEventState', dword, dword],
    ['cbAtr', dword, dword],
    ['rgbAtr', abi.atrSize, 1],
  ];
  let offset = 0;
  let structAlignment = 1;
  const offsets: Partial<Record<keyof ReaderStateLayout, number>> = {};
  for (const [name, size, naturalAlignment] of fields) {
    const alignment = abi.packed ? 1 : naturalAlignment;
    offset = alignUp(offset, alignment);
    offsets[name] = offset;
    offset += size;
    structAlignment = Math.max(structAlignment, alignment);
  }
  return {
    szReader: offsets.szReader ?? 0,
    pvUserData: offsets.pvUserData ?? 0,
    dwCurrentState: offsets.dwCurrentState ?? 0,
    dwEventState: offsets.dwEventState ?? 0,
    cbAtr: offsets.cbAtr ?? 0,
    rgbAtr: offsets.rgbAtr ?? 0,
    size: alignUp(offset, structAlignment),
  };
}

/** Bytes of SCARD_IO_REQUEST ({dwProtocol, cbPciLength}, two DWORDs). */
export function ioRequestSize(abi: PcscAbi): number {
  return 2 * sizeOf(abi.dword);
}

function alignUp(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}
