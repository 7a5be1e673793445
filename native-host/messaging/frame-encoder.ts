import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import { LIMITS } from '../protocol/messages';
import { FRAME_HEADER_BYTES, writeFrameLength } from './frame-format';

export interface FrameEncoderOptions {
  /** Largest payload in bytes (header excluded); default LIMITS.maxResponseBytes. */
  readonly maxFrameBytes?: number;
}

const utf8 = new TextEncoder();

/**
 * Encodes one JSON value as a native messaging frame (see frame-format.ts). Throws an INTERNAL
 * NhiCardError when the value has no JSON form or its payload exceeds the cap: sending it anyway
 * would make the browser drop the connection.
 */
export function encodeFrame(value: unknown, options: FrameEncoderOptions = {}): Uint8Array {
  const maxFrameBytes = options.maxFrameBytes ?? LIMITS.maxResponseBytes;
  let text: string | undefined;
  try {
    text = toJson(value);
  } catch (error) {
    throw new NhiCardError(ErrorCode.Internal, 'message cannot be serialized as JSON', { cause: error });
  }
  if (text === undefined) throw new NhiCardError(ErrorCode.Internal, 'message has no JSON form');
  const payload = utf8.encode(text);
  if (payload.length > maxFrameBytes) {
    throw new NhiCardError(ErrorCode.Internal, `message of ${payload.length} bytes exceeds the ${maxFrameBytes}-byte frame limit`);
  }
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  writeFrameLength(frame, payload.length);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

/** JSON.stringify as it behaves: undefined for values with no JSON form (undefined, functions). */
function toJson(value: unknown): string | undefined {
  return JSON.stringify(value);
}
