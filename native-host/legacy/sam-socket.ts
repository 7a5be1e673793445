/**
 * One plain TCP connection to the SAM service, read message by message. The protocol is strict
 * request/response, so a read collects bytes until the caller's "message complete" test passes
 * and hands back everything received. Every wait is bounded: connect and each read time out, and
 * a peer that sends without end is cut off at MAX_MESSAGE_BYTES.
 */
import { connect, type Socket } from 'node:net';

/** No SAM message comes close: the largest, the server Hello, is about 430 bytes. */
export const MAX_MESSAGE_BYTES = 16 * 1024;

/** Why a socket operation failed; callers turn it into the step's numeric code. */
export class SamSocketError extends Error {
  override readonly name = 'SamSocketError';
}

/** A connected SAM socket. */
export class SamSocket {
  private buffered = new Uint8Array(0);
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      const next = new Uint8Array(this.buffered.length + chunk.length);
      next.set(this.buffered, 0);
      next.set(chunk, this.buffered.length);
      this.buffered = next;
      this.notify();
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

  /** Waits until `isComplete(received)` holds and returns what was received; rejects on timeout, close or overflow. */
  async read(isComplete: (received: Uint8Array) => boolean, timeoutMs: number): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (isComplete(this.buffered)) {
        const message = this.buffered;
        this.buffered = new Uint8Array(0);
        return message;
      }
      if (this.buffered.length > MAX_MESSAGE_BYTES) throw new SamSocketError('the SAM service sent an oversized message');
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
