import { describe, expect, it } from 'vitest';
import { createBackgroundLink, type RuntimePortLike } from '../../../extension/content/background-link';

/** A runtime port whose background side the test plays: it sees what was posted and answers. */
function fakeRuntime() {
  const posted: { kind: string; id: number; method: string }[] = [];
  let deliver: (message: unknown) => void = () => undefined;
  let disconnect: () => void = () => undefined;
  let connects = 0;
  const connect = (): RuntimePortLike => {
    connects += 1;
    return {
      postMessage: (message) => posted.push(message as { kind: string; id: number; method: string }),
      disconnect: () => undefined,
      onMessage: { addListener: (listener) => (deliver = listener) },
      onDisconnect: { addListener: (listener) => (disconnect = listener) },
    };
  };
  return { connect, posted, answer: (message: unknown) => { deliver(message); }, drop: () => { disconnect(); }, connects: () => connects };
}

describe("the content script's link to the background", () => {
  it('resolves with the value the background answered, matched by id', async () => {
    const runtime = fakeRuntime();
    const link = createBackgroundLink(runtime.connect);
    const status = link.call('status', {});
    const legacy = link.call('legacy', { line: 'GetVersion' });
    const [first, second] = runtime.posted;
    runtime.answer({ kind: 'response', id: second?.id, ok: true, value: { reply: 'GetVersion:1' } });
    runtime.answer({ kind: 'response', id: first?.id, ok: true, value: { host: { connected: false }, readers: [], cardPresent: false } });
    await expect(legacy).resolves.toEqual({ reply: 'GetVersion:1' });
    await expect(status).resolves.toMatchObject({ cardPresent: false });
  });

  it('rejects with the code and message the background sent', async () => {
    const runtime = fakeRuntime();
    const link = createBackgroundLink(runtime.connect);
    const read = link.call('readCard', {});
    runtime.answer({ kind: 'response', id: runtime.posted[0]?.id, ok: false, error: { code: 'CONSENT_DENIED', message: 'the user said no' } });
    await expect(read).rejects.toMatchObject({ name: 'NhiCardError', code: 'CONSENT_DENIED', message: 'the user said no' });
  });

  it('ignores messages that are not an answer to a pending request', async () => {
    const runtime = fakeRuntime();
    const link = createBackgroundLink(runtime.connect);
    const read = link.call('readCard', {});
    for (const message of [null, 'text', { kind: 'response', id: 999, ok: true, value: {} }, { kind: 'response', id: '1', ok: true }, { kind: 'other', id: 1 }]) runtime.answer(message);
    runtime.answer({ kind: 'response', id: runtime.posted[0]?.id, ok: true, value: { name: 'x' } });
    await expect(read).resolves.toEqual({ name: 'x' });
  });

  it('passes events on, and fails pending requests with EXTENSION_UNAVAILABLE when the port drops', async () => {
    const runtime = fakeRuntime();
    const link = createBackgroundLink(runtime.connect);
    const events: unknown[] = [];
    link.onEvent((event) => events.push(event));
    const read = link.call('readCard', {});
    runtime.answer({ kind: 'event', event: { type: 'card-inserted', reader: '' } });
    runtime.drop();
    await expect(read).rejects.toMatchObject({ code: 'EXTENSION_UNAVAILABLE' });
    expect(events).toEqual([{ type: 'card-inserted', reader: '' }]);
    void link.call('status', {}).catch(() => undefined);
    expect(runtime.connects()).toBe(2);
  });

  it('rejects with EXTENSION_UNAVAILABLE when the extension cannot be reached at all', async () => {
    const link = createBackgroundLink(() => {
      throw new Error('Extension context invalidated.');
    });
    await expect(link.call('status', {})).rejects.toMatchObject({ code: 'EXTENSION_UNAVAILABLE' });
  });
});
