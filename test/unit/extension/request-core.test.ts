import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRequestCore, MAX_REQUEST_ID, type RequestCore, type Timers } from '../../../extension/shared/request-core';

/** Adds one request and returns its promise, the way a transport does. */
function pending<D>(core: RequestCore<D>, id: number | string, data: D, timeoutMs?: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    core.add(id, data, resolve, reject, timeoutMs);
  });
}

/** Whether a promise has settled by the time queued reactions have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the request core', () => {
  it('numbers requests from 1 and wraps after MAX_REQUEST_ID', () => {
    const core = createRequestCore();
    expect([core.nextId(), core.nextId(), core.nextId()]).toEqual([1, 2, 3]);
    const nearTheEnd = createRequestCore({ firstId: MAX_REQUEST_ID - 1 });
    expect([nearTheEnd.nextId(), nearTheEnd.nextId(), nearTheEnd.nextId()]).toEqual([MAX_REQUEST_ID - 1, MAX_REQUEST_ID, 1]);
    expect(MAX_REQUEST_ID).toBe(2 ** 31 - 1);
  });

  it('hands each request to whoever takes its id, once, with what the transport kept', async () => {
    const core = createRequestCore<string>();
    const first = pending(core, 1, 'readCard');
    const second = pending(core, 'r2', 'status');
    const taken = core.take('r2');
    expect(taken?.data).toBe('status');
    taken?.resolve('two');
    expect(core.take('r2')).toBeUndefined();
    core.take(1)?.reject(new Error('one failed'));
    await expect(second).resolves.toBe('two');
    await expect(first).rejects.toThrow('one failed');
  });

  it('finds nothing under an id it never gave out', () => {
    const core = createRequestCore();
    void pending(core, 1, undefined);
    expect(core.take(2)).toBeUndefined();
    expect(core.take('1x')).toBeUndefined();
    expect(core.take('__proto__')).toBeUndefined();
    expect(core.take('toString')).toBeUndefined();
  });

  it('rejects a request with the timeout error once its timeout passes, and forgets it', async () => {
    const core = createRequestCore<string>({ timeoutError: (command) => new Error(`no answer to ${command}`) });
    const late = pending(core, 7, 'readers', 1000);
    const check = expect(late).rejects.toThrow('no answer to readers');
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(late)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await check;
    expect(core.take(7)).toBeUndefined();
  });

  it('stops the timeout of a request that was answered', async () => {
    const core = createRequestCore<undefined>({ timeoutError: () => new Error('too late') });
    const answered = pending(core, 1, undefined, 1000);
    core.take(1)?.resolve('in time');
    await vi.advanceTimersByTimeAsync(5000);
    await expect(answered).resolves.toBe('in time');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('flushes pending requests in id order once the transport opens, stopping their timeouts but keeping them pending', async () => {
    const core = createRequestCore<string>({ timeoutError: () => new Error('too late') });
    const first = pending(core, 1, 'a', 100);
    void pending(core, 2, 'b', 100);
    void pending(core, 3, 'c', 100);
    core.take(2)?.resolve('b answered');
    const sent: string[] = [];
    core.flush((request) => sent.push(request.data));
    expect(sent).toEqual(['a', 'c']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await settled(first)).toBe(false);
    core.take(1)?.resolve('later');
    await expect(first).resolves.toBe('later');
    expect(core.take(3)).toBeDefined();
  });

  it('fails every pending request with the given error when the transport drops, and stops their timeouts', async () => {
    const core = createRequestCore<undefined>({ timeoutError: () => new Error('too late') });
    const requests = [pending(core, 1, undefined, 1000), pending(core, 'r2', undefined)];
    const dropped = new Error('the port closed');
    core.rejectAll(dropped);
    for (const request of requests) await expect(request).rejects.toBe(dropped);
    expect(core.take(1)).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    const next = pending(core, 3, undefined);
    core.take(3)?.resolve('after the drop');
    await expect(next).resolves.toBe('after the drop');
  });

  it('lets a request that reuses a pending id replace it without the old timeout firing on the new one', async () => {
    const core = createRequestCore<undefined>({ timeoutError: () => new Error('too late') });
    void pending(core, 1, undefined, 100).catch(() => undefined);
    const replacement = pending(core, 1, undefined);
    await vi.advanceTimersByTimeAsync(100);
    const kept = core.take(1);
    expect(kept).toBeDefined();
    kept?.resolve('kept');
    await expect(replacement).resolves.toBe('kept');
  });

  it('arms its timeouts on the timers it was given', () => {
    const armed: number[] = [];
    const timers: Timers = {
      setTimeout: (_callback, ms) => {
        armed.push(ms);
        return setTimeout(() => undefined, 0);
      },
      clearTimeout: () => undefined,
    };
    const core = createRequestCore({ timers });
    void pending(core, 1, undefined, 5000);
    void pending(core, 2, undefined);
    expect(armed).toEqual([5000]);
  });
});
