/**
 * Native messaging host mode: serve one browser connection over stdin/stdout until the browser
 * closes stdin. Everything the host writes goes through one FrameWriter; everything it reads goes
 * through one FrameDecoder and validateRequest. Logs carry command names, request ids, durations
 * and error codes only, never card holder data, and only for failed or slow requests.
 */
import { FrameDecoder } from '../messaging/frame-decoder';
import { encodeFrame } from '../messaging/frame-encoder';
import type { ReaderService } from '../pcsc/reader-service';
import { NhiCardError, asNhiCardError, hostWireError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import { PROTOCOL_VERSION, type HostMessage } from '../protocol/messages';
import { isAllowedCaller } from './caller';
import { Dispatcher } from './dispatcher';
import { FrameWriter } from './frame-writer';
import { validateRequest } from './request-validation';

/** The process exit codes of host mode. */
export const HostExitCode = {
  /** The browser closed stdin. */
  Ok: 0,
  /** Reading stdin failed. */
  Failure: 1,
  /** The browser sent a frame over the size cap; the stream cannot be resynchronised. */
  FrameTooLarge: 2,
  /** Started by an extension that is not on the allowlist. */
  ForbiddenCaller: 3,
} as const;

export interface HostDeps {
  readonly readers: ReaderService;
  /** Answers one NHIICC text command (native-host/legacy/); reaches the card only through `readers`. */
  readonly legacy: (line: string) => Promise<string>;
  readonly input: AsyncIterable<Uint8Array> | NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** The host's version, sent in `hello` and `version`. */
  readonly version: string;
  /** The extension that started us (see callerFromArgv); null when unknown, which is refused. */
  readonly callerId: string | null;
  readonly allowedCallers: readonly string[];
  /** Diagnostics sink (stderr in production): never given personal data. */
  readonly log: (message: string) => void;
}

/**
 * Each shutdown step waits at most this long, so the process exits well within 1 s of stdin closing
 * even when a card or pcscd stops answering: let quick requests finish, close PC/SC, flush stdout.
 */
const SHUTDOWN_STEP_MS = 250;

/** Requests that succeed are logged only when they take at least this long. */
export const SLOW_REQUEST_MS = 100;

/** Serves one browser connection; resolves with the process exit code (see HostExitCode). */
export async function runHost(deps: HostDeps): Promise<number> {
  const { readers, log } = deps;
  const writer = new FrameWriter(deps.output, log);
  const send = (message: HostMessage): void => {
    writer.write(encodeOrExplain(message, log));
  };

  if (!isAllowedCaller(deps.callerId, deps.allowedCallers)) {
    const caller = deps.callerId === null ? 'an unidentified caller' : `extension ${forLog(deps.callerId)}`;
    log(`refused ${caller}: not on the allowlist`);
    const error = new NhiCardError(ErrorCode.ForbiddenCaller, `${caller} is not allowed to use this host`);
    send({ id: null, error: hostWireError(error) });
    await shutDown(readers, writer, new Set(), log);
    return HostExitCode.ForbiddenCaller;
  }

  log(`host ${deps.version} (protocol ${PROTOCOL_VERSION}) serving extension ${forLog(deps.callerId ?? '')}`);
  send({ event: 'hello', host: deps.version, protocol: PROTOCOL_VERSION });

  const dispatcher = new Dispatcher({ readers, legacy: deps.legacy, version: deps.version, emit: send });
  const inFlight = new Set<Promise<void>>();
  const serve = (value: unknown): void => {
    const validation = validateRequest(value);
    if (!validation.ok) {
      log(`request ${validation.id === null ? 'without id' : forLog(validation.id)} rejected: ${validation.error.code}`);
      send({ id: validation.id, error: hostWireError(validation.error) });
      return;
    }
    const { request } = validation;
    const started = performance.now();
    const task = dispatcher.dispatch(request).then((answer) => {
      send(answer);
      // A line per request would cost a pipe write (~0.1 ms) on every command: only the unusual ones.
      const elapsedMs = Math.round(performance.now() - started);
      if ('error' in answer) log(`${request.command} ${forLog(request.id)}: ${answer.error.code} in ${elapsedMs} ms`);
      else if (elapsedMs >= SLOW_REQUEST_MS) log(`${request.command} ${forLog(request.id)}: ok in ${elapsedMs} ms (slow)`);
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  const decoder = new FrameDecoder();
  let exitCode: number = HostExitCode.Ok;
  try {
    reading: for await (const chunk of deps.input) {
      for (const frame of decoder.push(asBytes(chunk))) {
        if (frame.type === 'value') {
          serve(frame.value);
        } else {
          log(`frame rejected (${frame.reason}): ${frame.error.code}`);
          send({ id: null, error: hostWireError(frame.error) });
          if (frame.type === 'fatal') {
            exitCode = HostExitCode.FrameTooLarge;
            break reading;
          }
        }
      }
    }
    if (exitCode === HostExitCode.Ok) {
      if (decoder.pendingBytes > 0) log(`input ended inside a frame; ${decoder.pendingBytes} bytes dropped`);
      log('input closed');
    }
  } catch (error) {
    log(`input failed: ${asNhiCardError(error).code}`);
    exitCode = HostExitCode.Failure;
  } finally {
    dispatcher.close();
    await shutDown(readers, writer, inFlight, log);
  }
  log(`stopped (exit code ${exitCode})`);
  return exitCode;
}

/** A frame for `message`, or for an INTERNAL error in its place when it cannot be sent as is. */
function encodeOrExplain(message: HostMessage, log: (message: string) => void): Uint8Array {
  try {
    return encodeFrame(message);
  } catch (error) {
    const failure = asNhiCardError(error);
    log(`could not encode a message: ${failure.code}`);
    return encodeFrame({ id: 'id' in message ? message.id : null, error: hostWireError(failure) });
  }
}

/** Lets quick requests finish, releases PC/SC and flushes the output, each step time-boxed. */
async function shutDown(readers: ReaderService, writer: FrameWriter, inFlight: ReadonlySet<Promise<void>>, log: (message: string) => void): Promise<void> {
  if (!(await settlesWithin(Promise.all(inFlight), SHUTDOWN_STEP_MS))) log(`${inFlight.size} requests unanswered at exit`);
  const closed = readers.close().catch((error: unknown) => {
    log(`closing readers failed: ${asNhiCardError(error).code}`);
  });
  if (!(await settlesWithin(closed, SHUTDOWN_STEP_MS))) log('closing readers timed out');
  if (!(await settlesWithin(writer.flush(), SHUTDOWN_STEP_MS))) log('flushing output timed out');
}

/** True when `promise` settles within `ms`; the timer never outlives the wait. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function asBytes(chunk: Uint8Array | string): Uint8Array {
  if (typeof chunk === 'string') throw new NhiCardError(ErrorCode.Internal, 'host input has a text encoding set; it must be read as bytes');
  return chunk;
}

/** A sender-supplied identifier made safe for a one-line log (quoted, escaped, bounded). */
function forLog(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
}
