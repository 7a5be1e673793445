// Regenerates the extension icons, extension/public/icons/icon-{16,32,48,128}.png: a green card
// with a gold chip on a transparent background. Run `npx tsx scripts/generate-icons.ts` after
// changing the drawing below and commit the PNGs. No image library: the PNG is written by hand.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZES = [16, 32, 48, 128] as const;
/** Samples per pixel side: 4x4 supersampling for anti-aliased edges. */
const SUPERSAMPLE = 4;

type Rgb = readonly [number, number, number];

/** A rounded rectangle on a 16-unit grid, so every edge falls on a pixel boundary at each size. */
interface Shape {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly radius: number;
  readonly color: Rgb;
}

// Painted in order, later over earlier. ID-1 card proportions (about 1.6:1); the chip sits left of centre.
const SHAPES: readonly Shape[] = [
  { x0: 0, y0: 3, x1: 16, y1: 13, radius: 2, color: [0x1b, 0x7f, 0x5b] },
  { x0: 3, y0: 6, x1: 7, y1: 9, radius: 0.75, color: [0xe3, 0xb3, 0x3c] },
];

function inside(shape: Shape, x: number, y: number): boolean {
  const { x0, y0, x1, y1, radius } = shape;
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const dx = Math.max(x0 + radius - x, 0, x - (x1 - radius));
  const dy = Math.max(y0 + radius - y, 0, y - (y1 - radius));
  return dx * dx + dy * dy <= radius * radius;
}

/** Non-premultiplied RGBA rows, each led by PNG filter byte 0 (None). */
function render(size: number): Buffer {
  const scale = 16 / size;
  const rowBytes = 1 + size * 4;
  const out = Buffer.alloc(size * rowBytes);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [red, green, blue, covered] = [0, 0, 0, 0];
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) * scale;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) * scale;
          const hit = SHAPES.findLast((shape) => inside(shape, x, y));
          if (hit === undefined) continue;
          red += hit.color[0];
          green += hit.color[1];
          blue += hit.color[2];
          covered += 1;
        }
      }
      if (covered === 0) continue;
      const at = py * rowBytes + 1 + px * 4;
      out.set([red, green, blue].map((sum) => Math.round(sum / covered)), at);
      out[at + 3] = Math.round((covered * 255) / SUPERSAMPLE ** 2);
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, adaptive filtering, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(render(size), { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'extension', 'public', 'icons');
await mkdir(outDir, { recursive: true });
for (const size of SIZES) await writeFile(join(outDir, `icon-${size}.png`), png(size));
console.log(`wrote ${SIZES.map((size) => `icon-${size}.png`).join(', ')} to ${outDir}`);
