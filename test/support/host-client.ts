/**
 * A framed-JSON client for the native host, as a browser would talk to it: over any pair of
 * streams (in-memory for unit tests) or a spawned host binary (integration, e2e, bench). Every
 * message the host writes is checked against the wire contract (hostMessageSchema); a violation
 * fails every wait from then on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { FrameDecoder } from '../../native-host/messaging/frame-decoder';
import { encodeFrame } from '../../native-host/messaging/frame-encoder';
import { FRAME_HEADER_BYTES, writeFrameLength } from '../../native-host/messaging/frame-format';
import { hostMessageSchema, LIMITS, type Command, type HostEvent, type HostMessage, type Response } from '../../native-host/protocol/messages';

interface Waiter {
  readonly accept: (message: HostMessage) => boolean;
  readonly resolve: (message: HostMessage) => void;
  readonly reject: (error: Error) => void;
}

/** Default wait for one message: generous for CI, short enough to fail a test readably. */
const DEFAULT_WAIT_MS = 5000;

export class HostClient {
  /** Every message received, in arrival order (consumed or not). */
  readonly received: HostMessage[] = [];
  readonly #hostInput: NodeJS.WritableStream;
  readonly #decoder = new FrameDecoder({ maxFrameBytes: LIMITS.maxResponseBytes });
  /** Received and not yet taken by a wait. */
  readonly #unclaimed: HostMessage[] = [];
  readonly #waiters = new Set<Waiter>();
  #failure: Error | null = null;
  #ended = false;
  #nextId = 0;

  /** `hostInput` is the host's stdin, `hostOutput` its stdout. */
  constructor(hostInput: NodeJS.WritableStream, hostOutput: NodeJS.ReadableStream) {
    this.#hostInput = hostInput;
    hostOutput.on('data', (chunk: Uint8Array) => {
      this.#receive(chunk);
    });
    hostOutput.on('end', () => {
      this.#ended = true;
      this.#failAll(new Error('the host closed its output'));
    });
  }

  /** Sends one value as a frame. */
  send(value: unknown): void {
    this.#hostInput.write(encodeFrame(value, { maxFrameBytes: Number.MAX_SAFE_INTEGER }));
  }

  /** Sends raw bytes, e.g. a broken or oversize frame. */
  sendRaw(bytes: Uint8Array): void {
    this.#hostInput.write(bytes);
  }

  /** Sends a request with a fresh id and resolves with the response carrying that id. */
  async request(command: Command | (string & {}), fields: Record<string, unknown> = {}, timeoutMs = DEFAULT_WAIT_MS): Promise<Response> {
    const id = `req-${++this.#nextId}`;
    this.send({ id, command, ...fields });
    return this.response(id, timeoutMs);
  }

  /** Waits for the response with `id`. */
  async response(id: string | null, timeoutMs = DEFAULT_WAIT_MS): Promise<Response> {
    const message = await this.waitFor((m) => 'id' in m && m.id === id, timeoutMs, `the response to ${JSON.stringify(id)}`);
    return message as Response;
  }

  /** Waits for the next pushed event (optionally of one kind). */
  async event(kind?: HostEvent['event'], timeoutMs = DEFAULT_WAIT_MS): Promise<HostEvent> {
    const message = await this.waitFor((m) => 'event' in m && (kind === undefined || m.event === kind), timeoutMs, `event ${kind ?? '(any)'}`);
    return message as HostEvent;
  }

  /** Waits for the first unclaimed message matching `accept` and claims it. */
  waitFor(accept: (message: HostMessage) => boolean, timeoutMs = DEFAULT_WAIT_MS, what = 'a matching message'): Promise<HostMessage> {
    const index = this.#unclaimed.findIndex(accept);
    const [found] = index >= 0 ? this.#unclaimed.splice(index, 1) : [];
    if (found !== undefined) return Promise.resolve(found);
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const waiter: Waiter = {
        accept,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Messages received and not claimed by any wait. */
  get unclaimed(): readonly HostMessage[] {
    return this.#unclaimed;
  }

  /** True once the host closed its output. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Closes the host's stdin, as a browser does when the port disconnects. */
  end(): void {
    this.#hostInput.end();
  }

  #receive(chunk: Uint8Array): void {
    for (const frame of this.#decoder.push(chunk)) {
      if (frame.type !== 'value') {
        this.#failAll(new Error(`the host wrote a broken frame (${frame.reason})`));
        continue;
      }
      const parsed = hostMessageSchema.safeParse(frame.value);
      if (!parsed.success) {
        this.#failAll(new Error(`the host wrote a message outside the wire contract: ${JSON.stringify(frame.value).slice(0, 200)}`));
        continue;
      }
      this.#deliver(parsed.data);
    }
  }

  #deliver(message: HostMessage): void {
    this.received.push(message);
    for (const waiter of this.#waiters) {
      if (waiter.accept(message)) {
        this.#waiters.delete(waiter);
        waiter.resolve(message);
        return;
      }
    }
    this.#unclaimed.push(message);
  }

  #failAll(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiters) waiter.reject(error);
    this.#waiters.clear();
  }
}

/** A raw frame header announcing `length` payload bytes, for sending frames the encoder refuses. */
export function frameHeader(length: number): Uint8Array {
  const header = new Uint8Array(FRAME_HEADER_BYTES);
  writeFrameLength(header, length);
  return header;
}

/** A frame carrying arbitrary payload bytes (invalid UTF-8, invalid JSON, ...). */
export function rawFrame(payload: Uint8Array | string): Uint8Array {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  const frame = new Uint8Array(FRAME_HEADER_BYTES + bytes.length);
  frame.set(frameHeader(bytes.length));
  frame.set(bytes, FRAME_HEADER_BYTES);
  return frame;
}

/** How a spawned host ended. */
export interface HostExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A host binary started the way a browser starts it. */
export interface SpawnedHost {
  readonly client: HostClient;
  readonly child: ChildProcess;
  readonly exited: Promise<HostExit>;
  /** Everything the host wrote to stderr so far. */
  stderr(): string;
  /** Kills the host if it is still running. */
  kill(): void;
}

/** Starts `binary` with `args` (e.g. `chrome-extension://<id>/`) and connects a client to its stdio. */
export function spawnHost(binary: string, args: readonly string[], env: NodeJS.ProcessEnv): SpawnedHost {
  const child = spawn(binary, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const { stdin, stdout, stderr } = child;
  // A host that exits early makes our writes fail with EPIPE; that is the test's to judge, not a crash.
  stdin.on('error', () => undefined);
  let log = '';
  stderr.setEncoding('utf8');
  stderr.on('data', (text: string) => {
    log += text;
  });
  const exited = new Promise<HostExit>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  return {
    client: new HostClient(stdin, stdout),
    child,
    exited,
    stderr: () => log,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
