/**
 * The native messaging frame: a 4-byte length header followed by that many bytes of UTF-8 JSON.
 *
 * Browsers write and read the header in the machine's *native* byte order. Every platform we ship
 * for (x86-64 and arm64 on Windows, macOS and Linux) is little-endian, so the header is read and
 * written as little-endian explicitly, which keeps this layer free of Node's `os.endianness()`.
 */
export const FRAME_HEADER_BYTES = 4;

/** Reads the length header at the start of `header` (at least FRAME_HEADER_BYTES long). */
export function readFrameLength(header: Uint8Array): number {
  return new DataView(header.buffer, header.byteOffset, FRAME_HEADER_BYTES).getUint32(0, true);
}

/** Writes `length` as the frame header into the first FRAME_HEADER_BYTES of `target`. */
export function writeFrameLength(target: Uint8Array, length: number): void {
  new DataView(target.buffer, target.byteOffset, FRAME_HEADER_BYTES).setUint32(0, length, true);
}
