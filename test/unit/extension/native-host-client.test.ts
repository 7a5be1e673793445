import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NativeHostClient, type HostPort } from '../../../extension/background/native-host-client';
import { classifyDisconnect } from '../../../extension/background/host-disconnect';
import { PROTOCOL_VERSION } from '../../../native-host/protocol/messages';

/** A native port the test drives: what the extension posted, and the host's side of the talk. */
class FakeHostPort implements HostPort {
  readonly posted: Record<string, unknown>[] = [];
  disconnected = false;
  #onMessage: ((message: unknown) => void) | undefined;
  #onDisconnect: ((reason: string | undefined) => void) | undefined;

  postMessage(message: unknown): void {
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    this.posted.push(message as Record<string, unknown>);
  }
  disconnect(): void {
    this.disconnected = true;
  }
  onMessage(listener: (message: unknown) => void): void {
    this.#onMessage = listener;
  }
  onDisconnect(listener: (reason: string | undefined) => void): void {
    this.#onDisconnect = listener;
  }
  /** The host writes a message. */
  emit(message: unknown): void {
    this.#onMessage?.(message);
  }
  hello(protocol = PROTOCOL_VERSION): void {
    this.emit({ event: 'hello', host: 'nhi-card 0.1.0', protocol });
  }
  /** The host exits (or the browser could not start it). */
  exit(reason?: string): void {
    this.disconnected = true;
    this.#onDisconnect?.(reason);
  }
  /** The id of the last request of `command`. */
  lastId(command: string): string {
    const request = this.posted.findLast((message) => message.command === command);
    if (request === undefined) throw new Error(`no ${command} request was sent`);
    return request.id as string;
  }
}

function harness(options: Partial<ConstructorParameters<typeof NativeHostClient>[0]> = {}) {
  const ports: FakeHostPort[] = [];
  const client = new NativeHostClient({
    connect: () => {
      const port = new FakeHostPort();
      ports.push(port);
      return port;
    },
    ...options,
  });
  const port = (index = ports.length - 1): FakeHostPort => {
    const found = ports[index];
    if (found === undefined) throw new Error(`no connection #${index}`);
    return found;
  };
  return { client, ports, port };
}

const identity = { cardNumber: '000012345678', name: 'X', idNumber: 'A123456789', birthDate: '1980-01-02', sex: 'M', issueDate: '2015-03-04', reader: 'R' };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('starting the host', () => {
  it('waits for hello and reports the host', async () => {
    const { client, port } = harness();
    const ready = client.ready();
    expect(client.state.kind).toBe('starting');
    port().hello();
    await expect(ready).resolves.toEqual({ host: 'nhi-card 0.1.0', protocol: PROTOCOL_VERSION });
    expect(client.state.kind).toBe('ready');
  });

  it('gives up with HOST_TIMEOUT when hello does not come', async () => {
    const { client, port } = harness({ helloTimeoutMs: 5000 });
    const ready = client.ready();
    vi.advanceTimersByTime(5000);
    await expect(ready).rejects.toMatchObject({ code: 'HOST_TIMEOUT' });
    expect(port().disconnected).toBe(true);
  });

  it('refuses a host that speaks another protocol version', async () => {
    const { client, port } = harness();
    const ready = client.ready();
    port().hello(PROTOCOL_VERSION + 1);
    await expect(ready).rejects.toMatchObject({ code: 'HOST_INCOMPATIBLE' });
    expect(port().disconnected).toBe(true);
  });

  it('refuses a host whose first message is not hello', async () => {
    const { client, port } = harness();
    const ready = client.ready();
    port().emit({ id: 'r1', result: {} });
    await expect(ready).rejects.toMatchObject({ code: 'HOST_PROTOCOL_ERROR' });
  });

  it('says HOST_NOT_FOUND when the host is not installed, and does not respawn at once', async () => {
    const { client, ports, port } = harness({ notFoundHoldMs: 2000 });
    const first = client.ready();
    port().exit('Specified native messaging host not found.');
    await expect(first).rejects.toMatchObject({ code: 'HOST_NOT_FOUND', message: expect.stringContaining('nhi-card install') as string });
    await expect(client.request('readers', {})).rejects.toMatchObject({ code: 'HOST_NOT_FOUND' });
    expect(ports).toHaveLength(1);
    vi.advanceTimersByTime(2000);
    const retry = client.ready();
    expect(ports).toHaveLength(2);
    port().hello();
    await expect(retry).resolves.toBeDefined();
  });

  it('says HOST_NOT_FOUND when connectNative itself throws', async () => {
    const client = new NativeHostClient({
      connect: () => {
        throw new Error('nativeMessaging permission missing');
      },
    });
    await expect(client.ready()).rejects.toMatchObject({ code: 'HOST_NOT_FOUND' });
  });
});

describe('requests', () => {
  it('sends numbered requests and resolves with the validated result', async () => {
    const { client, port } = harness();
    const answer = client.request('readCard', {});
    port().hello();
    await vi.advanceTimersByTimeAsync(0);
    expect(port().posted).toEqual([{ id: 'r1', command: 'readCard' }]);
    port().emit({ id: 'r1', result: identity });
    await expect(answer).resolves.toEqual(identity);
  });

  it('rejects with the host error code', async () => {
    const { client, port } = harness();
    const answer = client.request('readCard', {});
    port().hello();
    await vi.advanceTimersByTimeAsync(0);
    port().emit({ id: port().lastId('readCard'), error: { code: 'NO_CARD', message: 'insert a card' } });
    await expect(answer).rejects.toMatchObject({ code: 'NO_CARD', message: 'insert a card' });
  });

  it('rejects a result that breaks the contract with HOST_PROTOCOL_ERROR', async () => {
    const { client, port } = harness();
    const answer = client.request('readCard', {});
    port().hello();
    await vi.advanceTimersByTimeAsync(0);
    port().emit({ id: port().lastId('readCard'), result: { ...identity, sex: 'X' } });
    await expect(answer).rejects.toMatchObject({ code: 'HOST_PROTOCOL_ERROR' });
  });

  it('times each request out on its own, and ignores a late answer', async () => {
    const { client, port } = harness({ timeoutsMs: { readers: 1000 } });
    const slow = client.request('readers', {});
    port().hello();
    await vi.advanceTimersByTimeAsync(0);
    const id = port().lastId('readers');
    vi.advanceTimersByTime(1000);
    await expect(slow).rejects.toMatchObject({ code: 'HOST_TIMEOUT' });
    port().emit({ id, result: { readers: [] } });
    const next = client.request('readers', {});
    await vi.advanceTimersByTimeAsync(0);
    port().emit({ id: port().lastId('readers'), result: { readers: [] } });
    await expect(next).resolves.toEqual({ readers: [] });
  });

  it('rejects pending requests with HOST_EXITED when the host exits, then starts it again', async () => {
    const { client, ports, port } = harness();
    const pending = client.request('legacy', { line: 'GetBasic' });
    port().hello();
    await vi.advanceTimersByTimeAsync(0);
    port().exit('Native host has exited.');
    await expect(pending).rejects.toMatchObject({ code: 'HOST_EXITED' });
    expect(client.state.kind).toBe('idle');
    const again = client.request('legacy', { line: 'GetVersion' });
    expect(ports).toHaveLength(2);
    port().hello();
    await vi.advanceTimersByTimeAsync(0);
    port().emit({ id: port().lastId('legacy'), result: { reply: 'GetVersion:0011' } });
    await expect(again).resolves.toEqual({ reply: 'GetVersion:0011' });
  });
});

describe('card events', () => {
  it('subscribes, forwards events, and resubscribes after the host restarts', async () => {
    const { client, ports, port } = harness({ reconnectDelaysMs: [1000] });
    const events: unknown[] = [];
    client.onEvent((event) => events.push(event));
    client.setWantsEvents(true);
    port().hello();
    await vi.advanceTimersByTimeAsync(0);
    port().emit({ id: port().lastId('subscribe'), result: {} });
    port().emit({ event: 'card-inserted', reader: 'R' });
    expect(events).toEqual([{ event: 'card-inserted', reader: 'R' }]);

    port().exit();
    await vi.advanceTimersByTimeAsync(999);
    expect(ports).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(ports).toHaveLength(2);
    port().hello();
    await vi.advanceTimersByTimeAsync(0);
    expect(port().posted.map((message) => message.command)).toEqual(['subscribe']);
  });

  it('says events are live only from the answer to the latest subscribe until they stop', async () => {
    const { client, ports, port } = harness({ reconnectDelaysMs: [1000] });
    client.setWantsEvents(true);
    port().hello();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.eventsLive).toBe(false);
    const firstSubscribe = port().lastId('subscribe');
    // Events stop being wanted and are wanted again before the first subscribe is answered.
    client.setWantsEvents(false);
    client.setWantsEvents(true);
    await vi.advanceTimersByTimeAsync(0);
    port().emit({ id: firstSubscribe, result: {} });
    await vi.advanceTimersByTimeAsync(0);
    expect(client.eventsLive).toBe(false);
    port().emit({ id: port().lastId('subscribe'), result: {} });
    await vi.advanceTimersByTimeAsync(0);
    expect(client.eventsLive).toBe(true);

    port().exit();
    expect(client.eventsLive).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ports).toHaveLength(2);
    port().hello();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.eventsLive).toBe(false);
    port().emit({ id: port().lastId('subscribe'), result: {} });
    await vi.advanceTimersByTimeAsync(0);
    expect(client.eventsLive).toBe(true);
    client.setWantsEvents(false);
    expect(client.eventsLive).toBe(false);
  });

  it('ignores malformed host messages that name no request', async () => {
    const { client, port } = harness();
    const events: unknown[] = [];
    client.onEvent((event) => events.push(event));
    const ready = client.ready();
    port().hello();
    await ready;
    port().emit({ event: 'card-exploded' });
    port().emit('garbage');
    expect(events).toEqual([]);
    expect(client.state.kind).toBe('ready');
  });
});

describe('reading the browser disconnect reason', () => {
  it.each([
    ['Specified native messaging host not found.', false, 'HOST_NOT_FOUND'],
    ['No such native application tw.nhi_card_bridge', false, 'HOST_NOT_FOUND'],
    ['Access to the specified native messaging host is forbidden.', false, 'HOST_NOT_FOUND'],
    ['Failed to start native messaging host.', false, 'HOST_NOT_FOUND'],
    ['Native host has exited.', false, 'HOST_EXITED'],
    [undefined, false, 'HOST_EXITED'],
    ['Native host has exited.', true, 'HOST_EXITED'],
    ['Specified native messaging host not found.', true, 'HOST_EXITED'],
  ])('%j (after hello: %s) -> %s', (reason, wasReady, code) => {
    expect(classifyDisconnect(reason, wasReady).code).toBe(code);
  });
});
