/**
 * One plain TCP connection to the SAM service, read message by message. The protocol is strict
 * request/response, so a read collects bytes until the caller's "message complete" test passes
 * and hands back everything received. Every wait is bounded: connect and each read time out, and
 * a peer that sends more than MAX_MESSAGE_BYTES is cut off the moment it does, whether or not
 * anyone is reading (the card steps of H_Sign run between reads).
 */
import { connect, type Socket } from 'node:net';
import { END_MARKER, type MessageEnd } from './sam-frame';

/** No SAM message comes close: the largest, the server Hello, is about 430 bytes. */
export const MAX_MESSAGE_BYTES = 16 * 1024;

/** Why a socket operation failed; callers turn it into the step's numeric code. */
export class SamSocketError extends Error {
  override readonly name = 'SamSocketError';
}

/** A connected SAM socket. */
export class SamSocket {
  /** What arrived since the last message was taken, as received (joined once, when a message is complete). */
  private chunks: Buffer[] = [];
  private length = 0;
  /** The last END_MARKER.length bytes received, for MessageEnd. */
  private tail: Uint8Array = new Uint8Array(0);
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.receive(chunk);
    });
    socket.on('error', (error) => {
      this.failure ??= error;
      this.notify();
    });
    socket.on('close', () => {
      this.failure ??= new SamSocketError('the SAM service closed the connection');
      this.notify();
    });
  }

  /** Connects, or rejects after `timeoutMs`. */
  static async open(host: string, port: number, timeoutMs: number): Promise<SamSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SamSocketError(`no connection to the SAM service within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new SamSocket(socket));
      });
    });
  }

  /** Bytes received and not yet taken by a read; never more than MAX_MESSAGE_BYTES. */
  get bufferedBytes(): number {
    return this.length;
  }

  /** True once the connection is gone (closed by us, by the peer, or cut off for sending too much). */
  get closed(): boolean {
    return this.socket.destroyed;
  }

  /** Writes `bytes`; rejects when the connection is gone. */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.failure !== undefined || this.socket.destroyed) throw new SamSocketError('the connection to the SAM service is closed');
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /** Waits until `isComplete` holds for what was received and returns it; rejects on timeout, close or overflow. */
  async read(isComplete: MessageEnd, timeoutMs: number): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (isComplete(this.length, this.tail)) return this.take();
      if (this.failure !== undefined) throw this.failure;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new SamSocketError(`no answer from the SAM service within ${timeoutMs} ms`);
      await this.waitForData(remaining);
    }
  }

  /** Closes the connection; safe to call twice. */
  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.failure !== undefined) return;
    if (this.length + chunk.length > MAX_MESSAGE_BYTES) {
      // Drop what we hold and the connection: nothing the service legitimately sends is this big.
      this.failure = new SamSocketError('the SAM service sent an oversized message');
      this.chunks = [];
      this.length = 0;
      this.tail = new Uint8Array(0);
      this.socket.destroy();
      this.notify();
      return;
    }
    this.chunks.push(chunk);
    this.length += chunk.length;
    // A copy of at most three bytes, so the tail never pins a large chunk.
    this.tail = Uint8Array.from(Buffer.concat([this.tail, chunk.subarray(-END_MARKER.length)]).subarray(-END_MARKER.length));
    this.notify();
  }

  /** Everything received so far, as one message; the buffer starts empty again. */
  private take(): Uint8Array {
    const message = new Uint8Array(Buffer.concat(this.chunks, this.length));
    this.chunks = [];
    this.length = 0;
    this.tail = new Uint8Array(0);
    return message;
  }

  private async waitForData(timeoutMs: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private notify(): void {
    this.wake?.();
  }
}
