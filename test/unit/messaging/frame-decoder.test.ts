import { describe, expect, it } from 'vitest';
import { FrameDecoder, type DecodedFrame } from '../../../native-host/messaging/frame-decoder';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { LIMITS } from '../../../native-host/protocol/messages';
import { concatBytes } from '../../../native-host/card/bytes';

/** A frame built by hand (not by the encoder under test): little-endian length, then the payload. */
function frame(payload: Uint8Array | string): Uint8Array {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, true);
  out.set(bytes, 4);
  return out;
}


function decodeAll(decoder: FrameDecoder, chunks: readonly Uint8Array[]): DecodedFrame[] {
  return chunks.flatMap((chunk) => decoder.push(chunk));
}

const value = (v: unknown): DecodedFrame => ({ type: 'value', value: v });

describe('FrameDecoder', () => {
  it('reads the length header as little-endian', () => {
    const bytes = Uint8Array.of(2, 0, 0, 0, 0x7b, 0x7d); // {}
    expect(new FrameDecoder().push(bytes)).toEqual([value({})]);
  });

  it('decodes one frame delivered in one chunk', () => {
    expect(new FrameDecoder().push(frame('{"id":"1","command":"version"}'))).toEqual([value({ id: '1', command: 'version' })]);
  });

  it('decodes a frame split at every byte, header included', () => {
    const bytes = frame('{"name":"陳小明"}');
    const decoder = new FrameDecoder();
    const decoded = decodeAll(decoder, [...bytes].map((byte) => Uint8Array.of(byte)));
    expect(decoded).toEqual([value({ name: '陳小明' })]);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('returns nothing until a frame is complete', () => {
    const bytes = frame('[1,2,3]');
    const decoder = new FrameDecoder();
    expect(decoder.push(bytes.subarray(0, 6))).toEqual([]);
    expect(decoder.pendingBytes).toBe(2);
    expect(decoder.push(bytes.subarray(6))).toEqual([value([1, 2, 3])]);
  });

  it('decodes several frames from one chunk, in order', () => {
    const decoded = new FrameDecoder().push(concatBytes(frame('1'), frame('"two"'), frame('{"three":3}')));
    expect(decoded).toEqual([value(1), value('two'), value({ three: 3 })]);
  });

  it('decodes a chunk that ends one frame and starts the next', () => {
    const both = concatBytes(frame('"a"'), frame('"b"'));
    const decoder = new FrameDecoder();
    expect(decoder.push(both.subarray(0, 9))).toEqual([value('a')]);
    expect(decoder.push(both.subarray(9))).toEqual([value('b')]);
  });

  it('ignores empty chunks', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(new Uint8Array(0))).toEqual([]);
    expect(decoder.push(frame('null'))).toEqual([value(null)]);
  });

  it('reports a zero-length frame as invalid JSON and keeps decoding', () => {
    const decoded = new FrameDecoder().push(concatBytes(frame(''), frame('true')));
    expect(decoded).toMatchObject([{ type: 'error', reason: 'invalid-json', error: { code: ErrorCode.InvalidRequest } }, value(true)]);
  });

  it.each([
    ['a lone continuation byte', Uint8Array.of(0x22, 0x80, 0x22)],
    ['a truncated sequence', Uint8Array.of(0x22, 0xe5, 0x81, 0x22)],
    ['an overlong encoding of "/"', Uint8Array.of(0x22, 0xc0, 0xaf, 0x22)],
    ['an encoded UTF-16 surrogate', Uint8Array.of(0x22, 0xed, 0xa0, 0x80, 0x22)],
    ['byte 0xFF', Uint8Array.of(0xff)],
  ])('reports invalid UTF-8 (%s) for that frame only', (_case, payload) => {
    const decoded = new FrameDecoder().push(concatBytes(frame(payload), frame('{"ok":1}')));
    expect(decoded).toMatchObject([{ type: 'error', reason: 'invalid-utf8', error: { code: ErrorCode.InvalidRequest } }, value({ ok: 1 })]);
  });

  it.each([['{'], ['{"id":'], ["{'id':'1'}"], ['undefined'], ['1 2'], ['\uFEFF{}']])('reports invalid JSON %j and decodes the next frame', (payload) => {
    const decoded = new FrameDecoder().push(concatBytes(frame(payload), frame('{"id":"2"}')));
    expect(decoded).toMatchObject([{ type: 'error', reason: 'invalid-json', error: { code: ErrorCode.InvalidRequest } }, value({ id: '2' })]);
  });

  it('accepts a frame of exactly LIMITS.maxRequestBytes', () => {
    const payload = `"${'a'.repeat(LIMITS.maxRequestBytes - 2)}"`;
    const [decoded] = new FrameDecoder().push(frame(payload));
    expect(decoded).toEqual(value('a'.repeat(LIMITS.maxRequestBytes - 2)));
  });

  it('fails fatally on a header announcing more than LIMITS.maxRequestBytes, without waiting for the body', () => {
    const header = frame('').subarray(0, 4);
    new DataView(header.buffer).setUint32(0, LIMITS.maxRequestBytes + 1, true);
    const decoder = new FrameDecoder();
    const decoded = decoder.push(header);
    expect(decoded).toHaveLength(1);
    expect(decoded[0]).toMatchObject({ type: 'fatal', reason: 'too-large', error: { code: ErrorCode.FrameTooLarge } });
    expect(decoded[0]?.type === 'fatal' && decoded[0].error.message).toContain(String(LIMITS.maxRequestBytes + 1));
    expect(decoder.failed).toBe(true);
  });

  it('keeps the frames before an oversize one and ignores everything after it', () => {
    const oversize = Uint8Array.of(0xff, 0xff, 0xff, 0xff);
    const decoder = new FrameDecoder();
    const decoded = decoder.push(concatBytes(frame('1'), oversize, frame('2')));
    expect(decoded).toMatchObject([value(1), { type: 'fatal', reason: 'too-large' }]);
    expect(decoder.push(frame('3'))).toEqual([]);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('honours a custom cap', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 3 });
    expect(decoder.push(frame('123'))).toEqual([value(123)]);
    expect(decoder.push(frame('1234'))).toMatchObject([{ type: 'fatal', reason: 'too-large' }]);
  });

  it('reports a truncated frame as pending bytes', () => {
    const decoder = new FrameDecoder();
    decoder.push(frame('{"id":"1"}').subarray(0, 7));
    expect(decoder.pendingBytes).toBe(3);
  });
});
