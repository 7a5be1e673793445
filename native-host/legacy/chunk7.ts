/**
 * The official component's "chunk7" step: 7 bytes of data plus one filler byte per 8-byte block,
 * used by EnCrypt and SecureGetBasic in place of padding.
 */
import { randomFillSync } from 'node:crypto';

/** Supplies the filler byte of each block. */
export type FillerSource = () => number;

/** Random bytes fetched 256 at a time: a call into the CSPRNG per filler byte cost ~18 µs. */
const fillerPool = new Uint8Array(256);
let fillerTaken = fillerPool.length;

/** Random filler bytes, as the official component uses. */
export const randomFiller: FillerSource = () => {
  if (fillerTaken >= fillerPool.length) {
    randomFillSync(fillerPool);
    fillerTaken = 0;
  }
  return fillerPool[fillerTaken++] ?? 0;
};

const DATA_PER_BLOCK = 7;
const BLOCK = 8;

/** Cuts `data` into 7-byte pieces (the last zero-padded to 7) and appends one filler byte to each. */
export function chunk7(data: Uint8Array, filler: FillerSource = randomFiller): Uint8Array {
  const blocks = Math.ceil(data.length / DATA_PER_BLOCK);
  const out = new Uint8Array(blocks * BLOCK);
  for (let block = 0; block < blocks; block++) {
    out.set(data.subarray(block * DATA_PER_BLOCK, (block + 1) * DATA_PER_BLOCK), block * BLOCK);
    out[block * BLOCK + DATA_PER_BLOCK] = filler() & 0xff;
  }
  return out;
}

/** The inverse of chunk7: drops every 8th byte (the zero fill of the last piece stays). */
export function unchunk7(data: Uint8Array): Uint8Array {
  const blocks = Math.floor(data.length / BLOCK);
  const out = new Uint8Array(blocks * DATA_PER_BLOCK);
  for (let block = 0; block < blocks; block++) {
    out.set(data.subarray(block * BLOCK, block * BLOCK + DATA_PER_BLOCK), block * DATA_PER_BLOCK);
  }
  return out;
}
