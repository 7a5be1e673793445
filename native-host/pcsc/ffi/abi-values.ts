/**
 * Reading and writing the C values of one PcscAbi in Node buffers: integers of the ABI's widths,
 * NUL-terminated strings and PC/SC's multi-strings ("a\0b\0\0") in the ABI's encoding.
 */
import { Buffer } from 'node:buffer';
import { sizeOf, type IntegerType, type PcscAbi } from './pcsc-abi';

/** Writes `value` as `type` (little-endian: every platform we support is). */
export function writeInteger(buffer: Buffer, offset: number, type: IntegerType, value: bigint): void {
  switch (type) {
    case 'int32':
      buffer.writeInt32LE(Number(BigInt.asIntN(32, value)), offset);
      return;
    case 'uint32':
      buffer.writeUInt32LE(Number(BigInt.asUintN(32, value)), offset);
      return;
    case 'int64':
      buffer.writeBigInt64LE(BigInt.asIntN(64, value), offset);
      return;
    case 'uint64':
      buffer.writeBigUInt64LE(BigInt.asUintN(64, value), offset);
  }
}

/** Reads a `type` at `offset`. */
export function readInteger(buffer: Buffer, offset: number, type: IntegerType): bigint {
  switch (type) {
    case 'int32':
      return BigInt(buffer.readInt32LE(offset));
    case 'uint32':
      return BigInt(buffer.readUInt32LE(offset));
    case 'int64':
      return buffer.readBigInt64LE(offset);
    case 'uint64':
      return buffer.readBigUInt64LE(offset);
  }
}

/** A zeroed buffer holding one `type`, for an output parameter. */
export function integerBuffer(type: IntegerType, value = 0n): Buffer {
  const buffer = Buffer.alloc(sizeOf(type));
  writeInteger(buffer, 0, type, value);
  return buffer;
}

/** Bytes per character unit of the ABI's strings. */
export function charSize(abi: PcscAbi): 1 | 2 {
  return abi.wide ? 2 : 1;
}

/** A NUL-terminated C string (UTF-16LE on Windows, UTF-8 elsewhere). */
export function encodeString(abi: PcscAbi, text: string): Buffer {
  return abi.wide ? Buffer.from(`${text}\0`, 'utf16le') : Buffer.from(`${text}\0`, 'utf8');
}

/** The strings of a multi-string ("a\0b\0\0") of `units` characters (the PC/SC length, NULs included). */
export function decodeMultiString(abi: PcscAbi, buffer: Buffer, units: number): string[] {
  const bytes = Math.min(buffer.length, units * charSize(abi));
  const text = buffer.subarray(0, bytes).toString(abi.wide ? 'utf16le' : 'utf8');
  return text.split('\0').filter((name) => name.length > 0);
}

/** A LONG return value as PC/SC writes its codes: an unsigned 32-bit number (0x8010xxxx). */
export function statusOf(value: unknown): number {
  const integer = typeof value === 'bigint' ? value : BigInt(Number(value));
  return Number(BigInt.asUintN(32, integer));
}
