/**
 * The host's only way to write to the browser: whole frames, one `write` each, strictly in call
 * order, so concurrent handlers and pushed events can never interleave bytes of two frames.
 */
export class FrameWriter {
  readonly #output: NodeJS.WritableStream;
  readonly #log: (message: string) => void;
  #tail: Promise<void> = Promise.resolve();
  #broken = false;

  constructor(output: NodeJS.WritableStream, log: (message: string) => void) {
    this.#output = output;
    this.#log = log;
    // An unhandled 'error' (EPIPE once the browser is gone) would crash the process.
    output.on('error', (error: unknown) => {
      this.#fail(error);
    });
  }

  /** Queues one encoded frame; it is written after every frame queued before it. */
  write(frame: Uint8Array): void {
    this.#tail = this.#tail.then(() => this.#writeOne(frame));
  }

  /** Resolves once every queued frame was handed to the output (or the output failed). */
  flush(): Promise<void> {
    return this.#tail;
  }

  #writeOne(frame: Uint8Array): Promise<void> {
    if (this.#broken) return Promise.resolve();
    return new Promise((resolve) => {
      try {
        // Waiting for the callback gives backpressure: a slow reader slows us, not our memory.
        this.#output.write(frame, (error) => {
          if (error) this.#fail(error);
          resolve();
        });
      } catch (error) {
        this.#fail(error);
        resolve();
      }
    });
  }

  #fail(error: unknown): void {
    if (this.#broken) return;
    this.#broken = true;
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
    this.#log(`output failed (${code}); further messages are dropped`);
  }
}
