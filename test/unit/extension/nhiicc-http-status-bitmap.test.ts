import { describe, expect, it } from 'vitest';
import { asciiJson, bitmapDataUrl, MAX_STATUS_TEXT_LENGTH, statusBitmap } from '../../../extension/background/nhiicc-http/status-bitmap';

/** Decodes a 24-bit one-row BMP the way a browser does, into RGBA canvas pixels. */
function canvasPixels(bmp: Uint8Array): number[] {
  const view = new DataView(bmp.buffer, bmp.byteOffset, bmp.byteLength);
  expect(String.fromCharCode(bmp[0] ?? 0, bmp[1] ?? 0)).toBe('BM');
  expect(view.getUint32(2, true)).toBe(bmp.length);
  expect(view.getUint32(14, true)).toBe(40);
  expect(view.getUint16(28, true)).toBe(24);
  expect(view.getUint32(30, true)).toBe(0);
  expect(view.getInt32(22, true)).toBe(1);
  const offset = view.getUint32(10, true);
  const width = view.getInt32(18, true);
  const rgba: number[] = [];
  for (let x = 0; x < width; x += 1) {
    const blue = bmp[offset + x * 3] ?? 0;
    const green = bmp[offset + x * 3 + 1] ?? 0;
    const red = bmp[offset + x * 3 + 2] ?? 0;
    rgba.push(red, green, blue, 255);
  }
  return rgba;
}

/** What the 2024 library reads from the canvas: bytes 2, 1, 0 of each pixel, zeros skipped. */
function libraryReads(rgba: readonly number[]): string {
  let text = '';
  for (let index = 0; index < rgba.length; index += 4) {
    for (const channel of [2, 1, 0]) {
      const code = rgba[index + channel] ?? 0;
      if (code !== 0) text += String.fromCharCode(code);
    }
  }
  return text;
}

describe('the status bitmap', () => {
  it.each(['{"result":"0000"}', '{"result":"7004"}', '{}', 'x', '{"a":"bc"}'])('carries %s to the library intact', (text) => {
    expect(libraryReads(canvasPixels(statusBitmap(text)))).toBe(text);
  });

  it('pads each row to four bytes', () => {
    const bmp = statusBitmap('{"result":"0000"}'); // 17 characters: 6 pixels, 18 bytes, padded to 20.
    expect(bmp.length).toBe(14 + 40 + 20);
  });

  it('fits the widest text the 1024-pixel canvas can hold, and refuses more', () => {
    const longest = 'a'.repeat(MAX_STATUS_TEXT_LENGTH);
    expect(libraryReads(canvasPixels(statusBitmap(longest)))).toBe(longest);
    expect(() => statusBitmap(`${longest}a`)).toThrow(RangeError);
    expect(() => statusBitmap('')).toThrow(RangeError);
  });

  it('refuses characters a byte cannot carry, and asciiJson escapes them so the JSON still parses', () => {
    expect(() => statusBitmap('健')).toThrow(RangeError);
    const text = asciiJson(JSON.stringify({ name: '健保', tab: '\t' }));
    expect(text).toMatch(/^[\x20-\x7e]+$/u);
    expect(JSON.parse(libraryReads(canvasPixels(statusBitmap(text))))).toEqual({ name: '健保', tab: '\t' });
  });

  it('is served as a data: URL of the same bytes', () => {
    const bmp = statusBitmap('{"result":"0000"}');
    const url = bitmapDataUrl(bmp);
    expect(url.startsWith('data:image/bmp;base64,')).toBe(true);
    expect(new Uint8Array(Buffer.from(url.slice('data:image/bmp;base64,'.length), 'base64'))).toEqual(bmp);
  });
});
