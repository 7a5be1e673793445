/**
 * The one request core under every hop that waits for answers: the page bridge (page -> content
 * script), the content script's link to the background, and the background's native host client.
 * Each of them is a thin transport around it. The core numbers requests, keeps each until its
 * answer, expires it after an optional timeout, settles it once, and fails all of them when the
 * transport drops. It imports nothing, so the scripts injected into pages can carry it. The
 * transport creates the promise and hands its resolve/reject in, so no wrapper promise is added.
 *
 * In the page world it must never call a built-in a page script could replace: its timers are the
 * page world's early copies (page/page-natives.ts), its table of pending requests has no prototype
 * and is read by plain property access, and the two built-ins it calls are copied when this module
 * is evaluated, at document_start, before any page script exists.
 */

const createObject = Object.create;
const deleteProperty = Reflect.deleteProperty;

/** The largest request id: ids wrap here, so they stay valid on every hop (31 bits, V8 small integers). */
export const MAX_REQUEST_ID = 2 ** 31 - 1;

type Timer = ReturnType<typeof setTimeout>;

/** The timers the core arms; the page world passes the copies it took before any page script ran. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): Timer;
  clearTimeout(timer: Timer): void;
}

/** Request ids: numbers on the extension's own hops, strings on the native host's wire. */
export type RequestId = number | string;

/** A request waiting for its answer; `data` is what the transport keeps with it. */
export interface PendingRequest<D> {
  readonly data: D;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  timer: Timer | undefined;
}

export interface RequestCoreOptions<D> {
  /** The error a request rejects with when its timeout passes; `data` is what the transport kept. */
  readonly timeoutError?: (data: D) => Error;
  /** Defaults to the global timers, looked up at each use (so test fake timers installed later are used). */
  readonly timers?: Timers;
  /** The first id `nextId` gives out; 1 unless a test starts near the wrap. */
  readonly firstId?: number;
}

/** Numbered requests, a table of those pending, per-request timeouts, settling once. */
export interface RequestCore<D> {
  /** The next request number, from 1 up to MAX_REQUEST_ID and round again. */
  nextId(): number;
  /**
   * Keeps a request until `take` finds it, `rejectAll` fails it, or, with `timeoutMs`, its
   * timeout rejects it with the `timeoutError` option's error.
   */
  add(id: RequestId, data: D, resolve: (value: unknown) => void, reject: (error: Error) => void, timeoutMs?: number): void;
  /**
   * Removes the request `id` names, its timeout stopped, for the caller to settle. Undefined when
   * none is pending under that id: unknown, already answered, expired or failed.
   */
  take(id: RequestId): PendingRequest<D> | undefined;
  /**
   * The transport is open now: stops every pending request's timeout and hands each to `send`
   * (number ids in ascending order, string ids as added); they stay pending for their answers.
   */
  flush(send: (request: PendingRequest<D>) => void): void;
  /** Fails every pending request with `error`: the transport dropped and no answer will come. */
  rejectAll(error: Error): void;
}

/** A request core; its timeouts run on `options.timers`, or the global timers, looked up at each use. */
export function createRequestCore<D>(options: RequestCoreOptions<D> = {}): RequestCore<D> {
  const timeoutError = options.timeoutError ?? (() => new Error('no answer in time'));
  const timers: Timers = options.timers ?? globalThis;
  let pending = createTable<D>();
  let nextId = options.firstId ?? 1;

  function stopTimer(request: PendingRequest<D>): void {
    if (request.timer === undefined) return;
    timers.clearTimeout(request.timer);
    request.timer = undefined;
  }

  return {
    nextId() {
      const id = nextId;
      nextId = id >= MAX_REQUEST_ID ? 1 : id + 1;
      return id;
    },
    add(id, data, resolve, reject, timeoutMs) {
      const request: PendingRequest<D> = { data, resolve, reject, timer: undefined };
      if (timeoutMs !== undefined) {
        request.timer = timers.setTimeout(() => {
          if (pending[id] !== request) return; // A later request took over the id.
          deleteProperty(pending, id);
          reject(timeoutError(data));
        }, timeoutMs);
      }
      pending[id] = request;
    },
    take(id) {
      const request = pending[id];
      if (request === undefined) return undefined;
      deleteProperty(pending, id);
      stopTimer(request);
      return request;
    },
    flush(send) {
      for (const id in pending) {
        const request = pending[id];
        if (request === undefined) continue;
        stopTimer(request);
        send(request);
      }
    },
    rejectAll(error) {
      const waiting = pending;
      pending = createTable<D>();
      for (const id in waiting) {
        const request = waiting[id];
        if (request === undefined) continue;
        stopTimer(request);
        request.reject(error);
      }
    },
  };
}

/** A table of pending requests by id, with no prototype: a property planted on Object.prototype is never found in it. */
function createTable<D>(): Partial<Record<RequestId, PendingRequest<D>>> {
  return createObject(null) as Partial<Record<RequestId, PendingRequest<D>>>;
}
