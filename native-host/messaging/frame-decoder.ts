import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import { LIMITS } from '../protocol/messages';
import { FRAME_HEADER_BYTES, readFrameLength } from './frame-format';

/**
 * One result of decoding: a parsed JSON value, a broken frame that was skipped (decoding goes on
 * with the next frame), or a fatal error after which the stream cannot be resynchronised.
 */
export type DecodedFrame =
  | { readonly type: 'value'; readonly value: unknown }
  | { readonly type: 'error'; readonly reason: 'invalid-utf8' | 'invalid-json'; readonly error: NhiCardError }
  | { readonly type: 'fatal'; readonly reason: 'too-large'; readonly error: NhiCardError };

export interface FrameDecoderOptions {
  /** Largest accepted payload in bytes (header excluded); default LIMITS.maxRequestBytes. */
  readonly maxFrameBytes?: number;
}

/**
 * Incremental decoder for native messaging frames (see frame-format.ts). Feed it chunks as they
 * arrive, split anywhere; it never throws on input bytes. A frame whose header announces more than
 * the cap is fatal: the decoder reports it once and ignores everything after, because skipping that
 * many bytes would mean buffering or trusting a hostile length.
 */
export class FrameDecoder {
  readonly #maxFrameBytes: number;
  readonly #queue = new ByteQueue();
  readonly #utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** Payload length of the frame being read, once its header is complete. */
  #expected: number | null = null;
  #failed = false;

  constructor(options: FrameDecoderOptions = {}) {
    this.#maxFrameBytes = options.maxFrameBytes ?? LIMITS.maxRequestBytes;
  }

  /** True once a fatal error was reported; later input is ignored. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Bytes received but not yet part of a complete frame (non-zero at end of input = truncated frame). */
  get pendingBytes(): number {
    return this.#queue.length;
  }

  /** Consumes one chunk and returns every frame it completed, in order. */
  push(chunk: Uint8Array): DecodedFrame[] {
    if (this.#failed) return [];
    this.#queue.append(chunk);
    const decoded: DecodedFrame[] = [];
    for (;;) {
      if (this.#expected === null) {
        if (this.#queue.length < FRAME_HEADER_BYTES) break;
        const length = readFrameLength(this.#queue.take(FRAME_HEADER_BYTES));
        if (length > this.#maxFrameBytes) {
          this.#failed = true;
          this.#queue.clear();
          const message = `frame of ${length} bytes exceeds the ${this.#maxFrameBytes}-byte limit`;
          decoded.push({ type: 'fatal', reason: 'too-large', error: new NhiCardError(ErrorCode.FrameTooLarge, message) });
          break;
        }
        this.#expected = length;
      }
      if (this.#queue.length < this.#expected) break;
      const payload = this.#queue.take(this.#expected);
      this.#expected = null;
      decoded.push(this.#parse(payload));
    }
    return decoded;
  }

  #parse(payload: Uint8Array): DecodedFrame {
    let text: string;
    try {
      text = this.#utf8.decode(payload);
    } catch {
      return { type: 'error', reason: 'invalid-utf8', error: new NhiCardError(ErrorCode.InvalidRequest, 'frame is not valid UTF-8') };
    }
    try {
      return { type: 'value', value: JSON.parse(text) as unknown };
    } catch {
      return { type: 'error', reason: 'invalid-json', error: new NhiCardError(ErrorCode.InvalidRequest, 'frame is not valid JSON') };
    }
  }
}

/** A FIFO of byte chunks that copies each byte out once, however finely the input is split. */
class ByteQueue {
  #chunks: Uint8Array[] = [];
  /** Bytes of #chunks[0] already consumed. */
  #offset = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** Removes and returns the first `count` bytes; the caller checked `length >= count`. */
  take(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const head = this.#chunks[0];
      if (head === undefined) throw new NhiCardError(ErrorCode.Internal, 'byte queue underrun');
      const n = Math.min(count - filled, head.length - this.#offset);
      out.set(head.subarray(this.#offset, this.#offset + n), filled);
      filled += n;
      this.#offset += n;
      if (this.#offset === head.length) {
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
    this.#length -= count;
    return out;
  }

  clear(): void {
    this.#chunks = [];
    this.#offset = 0;
    this.#length = 0;
  }
}
