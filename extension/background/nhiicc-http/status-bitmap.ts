/**
 * The status images of the HTTP API: the library draws `GetStatus.bmp` / `GetCardStatus.bmp` on a
 * 1024x1 canvas and reads a JSON text back from the pixels, taking blue, green, red of each pixel
 * (in that order) as character codes and skipping zeros. The background builds that image as a
 * 24-bit BMP and the page loads it as a data: URL, which a canvas may read without being tainted.
 */

/** The library's canvas is 1024 pixels wide: at most 3 characters a pixel fit. */
export const MAX_STATUS_TEXT_LENGTH = 1024 * 3;

const FILE_HEADER_SIZE = 14;
const INFO_HEADER_SIZE = 40;
const BITS_PER_PIXEL = 24;
/** 2835 pixels per metre = 72 dpi, the usual value; readers ignore it. */
const PIXELS_PER_METRE = 2835;

/**
 * The JSON text with every character outside printable ASCII escaped as `\uXXXX`, so each
 * character fits one byte and none is zero. JSON.stringify already escapes control characters.
 */
export function asciiJson(json: string): string {
  return json.replace(/[^\x20-\x7e]/gu, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A one-row 24-bit BMP whose pixels carry `text` three characters at a time: blue, green, red.
 * BMP stores each pixel as blue, green, red, so the file bytes are the text itself, zero-padded.
 * Throws a RangeError for text the library's canvas could not hold or a byte could not carry.
 */
export function statusBitmap(text: string): Uint8Array {
  if (text.length === 0 || text.length > MAX_STATUS_TEXT_LENGTH) throw new RangeError(`status text must be 1..${MAX_STATUS_TEXT_LENGTH} characters`);
  const width = Math.ceil(text.length / 3);
  const rowSize = Math.ceil((width * 3) / 4) * 4;
  const pixelOffset = FILE_HEADER_SIZE + INFO_HEADER_SIZE;
  const bytes = new Uint8Array(pixelOffset + rowSize);
  const view = new DataView(bytes.buffer);
  // BITMAPFILEHEADER
  bytes[0] = 0x42; // 'B'
  bytes[1] = 0x4d; // 'M'
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, pixelOffset, true);
  // BITMAPINFOHEADER
  view.setUint32(14, INFO_HEADER_SIZE, true);
  view.setInt32(18, width, true);
  view.setInt32(22, 1, true);
  view.setUint16(26, 1, true); // planes
  view.setUint16(28, BITS_PER_PIXEL, true);
  view.setUint32(30, 0, true); // BI_RGB, uncompressed
  view.setUint32(34, rowSize, true);
  view.setInt32(38, PIXELS_PER_METRE, true);
  view.setInt32(42, PIXELS_PER_METRE, true);
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 0 || code > 0xff) throw new RangeError('status text must be characters 1..255 (escape the rest)');
    bytes[pixelOffset + index] = code;
  }
  return bytes;
}

/** `bytes` as a `data:image/bmp;base64,` URL. */
export function bitmapDataUrl(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/bmp;base64,${btoa(binary)}`;
}
