import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../native-host/messaging/frame-encoder';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { LIMITS } from '../../../native-host/protocol/messages';

const lengthOf = (frame: Uint8Array): number => new DataView(frame.buffer, frame.byteOffset).getUint32(0, true);

function expectInternalError(run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(NhiCardError);
  expect((thrown as NhiCardError).code).toBe(ErrorCode.Internal);
}

describe('encodeFrame', () => {
  it('writes the UTF-8 byte length as a little-endian header, then the JSON', () => {
    const frame = encodeFrame({ name: '陳' });
    const payload = new TextEncoder().encode('{"name":"陳"}');
    expect(lengthOf(frame)).toBe(payload.length);
    expect([...frame.subarray(0, 4)]).toEqual([payload.length, 0, 0, 0]);
    expect(frame.subarray(4)).toEqual(payload);
  });

  it('encodes null as a 4-byte payload', () => {
    expect([...encodeFrame(null)]).toEqual([4, 0, 0, 0, 0x6e, 0x75, 0x6c, 0x6c]);
  });

  it('accepts a payload of exactly LIMITS.maxResponseBytes', () => {
    const frame = encodeFrame('x'.repeat(LIMITS.maxResponseBytes - 2));
    expect(lengthOf(frame)).toBe(LIMITS.maxResponseBytes);
  });

  it('refuses a payload over LIMITS.maxResponseBytes', () => {
    expectInternalError(() => encodeFrame('x'.repeat(LIMITS.maxResponseBytes - 1)));
  });

  it('counts bytes, not characters, against the cap', () => {
    expect(lengthOf(encodeFrame('健保', { maxFrameBytes: 8 }))).toBe(8);
    expectInternalError(() => encodeFrame('健保卡', { maxFrameBytes: 10 }));
  });

  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a bigint', 1n],
    ['a cycle', (() => {
      const cycle: Record<string, unknown> = {};
      cycle.self = cycle;
      return cycle;
    })()],
  ])('refuses %s, which has no JSON form', (_case, input) => {
    expectInternalError(() => encodeFrame(input));
  });
});
