import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, type DecodedFrame } from '../../../native-host/messaging/frame-decoder';
import { encodeFrame } from '../../../native-host/messaging/frame-encoder';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { FUZZ_RUNS } from '../../support/fuzz';
import { concatBytes } from '../../../native-host/card/bytes';

/** Small cap so generated streams hit the oversize path often. */
const CAP = 96;

/** Splits `bytes` at the given cut points (any numbers; reduced modulo the length). */
function chunk(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => (bytes.length === 0 ? 0 : cut % (bytes.length + 1))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}


function rawFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length, true);
  out.set(payload, 4);
  return out;
}

/** A stream segment: a well-formed frame, a frame of random payload bytes, or raw noise. */
const segment = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => encodeFrame(v, { maxFrameBytes: Number.MAX_SAFE_INTEGER })),
  fc.uint8Array({ maxLength: 120 }).map(rawFrame),
  fc.uint8Array({ maxLength: 12 }),
);
const stream = fc.array(segment, { maxLength: 8 }).map((parts) => concatBytes(...parts));
const cuts = fc.array(fc.nat(), { maxLength: 12 });

function decodeChunks(chunks: readonly Uint8Array[], maxFrameBytes?: number): DecodedFrame[] {
  const decoder = new FrameDecoder(maxFrameBytes === undefined ? {} : { maxFrameBytes });
  return chunks.flatMap((c) => decoder.push(c));
}

/** The comparable essence of a decode result (NhiCardError instances differ by identity and stack). */
function essence(frames: readonly DecodedFrame[]): unknown[] {
  return frames.map((f) => (f.type === 'value' ? f : { type: f.type, reason: f.reason, code: f.error.code, message: f.error.message }));
}

describe('frame properties', () => {
  it('never throws on arbitrary bytes and chunkings; yields values or typed errors, a fatal one only last', () => {
    fc.assert(
      fc.property(stream, cuts, (bytes, cutPoints) => {
        const decoded = decodeChunks(chunk(bytes, cutPoints), CAP);
        decoded.forEach((frame, index) => {
          if (frame.type === 'error') {
            expect(['invalid-utf8', 'invalid-json']).toContain(frame.reason);
            expect(frame.error.code).toBe(ErrorCode.InvalidRequest);
          } else if (frame.type === 'fatal') {
            expect(frame.reason).toBe('too-large');
            expect(frame.error.code).toBe(ErrorCode.FrameTooLarge);
            expect(index).toBe(decoded.length - 1);
          }
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on pure noise at the default cap', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), cuts, (bytes, cutPoints) => {
        const decoded = decodeChunks(chunk(bytes, cutPoints));
        expect(decoded.every((f) => ['value', 'error', 'fatal'].includes(f.type))).toBe(true);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('decodes the same frames however the stream is chunked', () => {
    fc.assert(
      fc.property(stream, cuts, (bytes, cutPoints) => {
        expect(essence(decodeChunks(chunk(bytes, cutPoints), CAP))).toEqual(essence(decodeChunks([bytes], CAP)));
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips any JSON value sequence through encodeFrame and the decoder', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 6 }), cuts, (values, cutPoints) => {
        const bytes = concatBytes(...values.map((v) => encodeFrame(v)));
        const decoded = decodeChunks(chunk(bytes, cutPoints), Number.MAX_SAFE_INTEGER);
        // JSON's own normalisation (e.g. -0 -> 0) is the expected result, not the decoder's doing.
        expect(decoded).toEqual(values.map((v) => ({ type: 'value', value: JSON.parse(JSON.stringify(v)) as unknown })));
      }),
      { numRuns: 3000 },
    );
  });
});
