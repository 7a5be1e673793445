import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { HostExitCode, runHost, SLOW_REQUEST_MS, type HostDeps } from '../../../native-host/host/run-host';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { CHROME_EXTENSION_ID, GECKO_EXTENSION_ID } from '../../../native-host/protocol/extension-ids';
import { LIMITS, PROTOCOL_VERSION } from '../../../native-host/protocol/messages';
import { frameHeader, HostClient, rawFrame } from '../../support/host-client';
import { FakeReaderService, TEST_HOLDER } from './fake-reader-service';

const READER = 'Virtual PCD 00 00';
const ALLOWED = [CHROME_EXTENSION_ID, GECKO_EXTENSION_ID];

interface Harness {
  readonly client: HostClient;
  readonly readers: FakeReaderService;
  readonly logs: string[];
  /** runHost's exit code, and how long after `client.end()` it came (when ended). */
  readonly exit: Promise<number>;
}

let harness: Harness | undefined;

/** Starts runHost over in-memory stdin/stdout with a strict fake reader service. */
function startHost(overrides: Partial<HostDeps> = {}): Harness {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const readers = new FakeReaderService().addReader(READER, TEST_HOLDER);
  const logs: string[] = [];
  const exit = runHost({
    readers,
    legacy: (line) => Promise.resolve(line === 'GetVersion' ? 'GetVersion:0011' : '9999'),
    input: stdin,
    output: stdout,
    version: '1.2.3',
    callerId: CHROME_EXTENSION_ID,
    allowedCallers: ALLOWED,
    log: (message) => logs.push(message),
    ...overrides,
  });
  harness = { client: new HostClient(stdin, stdout), readers, logs, exit };
  return harness;
}

afterEach(async () => {
  if (harness === undefined) return;
  harness.client.end();
  await harness.exit;
  expect(harness.readers.violations).toEqual([]);
  expect(harness.readers.closed).toBe(true);
  harness = undefined;
});

describe('runHost', () => {
  it('says hello first', async () => {
    const { client } = startHost();
    await client.request('version');
    expect(client.received[0]).toEqual({ event: 'hello', host: '1.2.3', protocol: PROTOCOL_VERSION });
  });

  it('answers version', async () => {
    const { client } = startHost();
    expect(await client.request('version')).toEqual({ id: 'req-1', result: { host: '1.2.3', protocol: PROTOCOL_VERSION } });
  });

  it('answers readCard with the identity', async () => {
    const { client } = startHost();
    expect(await client.request('readCard')).toMatchObject({ result: { cardNumber: TEST_HOLDER.cardNumber, name: TEST_HOLDER.name, reader: READER } });
  });

  it('answers an unknown command with UNKNOWN_COMMAND under its id', async () => {
    const { client } = startHost();
    expect(await client.request('format')).toMatchObject({ id: 'req-1', error: { code: ErrorCode.UnknownCommand } });
  });

  it('answers a request without id with INVALID_REQUEST and id null', async () => {
    const { client } = startHost();
    client.send({ command: 'version' });
    expect(await client.response(null)).toMatchObject({ id: null, error: { code: ErrorCode.InvalidRequest } });
  });

  it.each([
    ['invalid JSON', rawFrame('{"id":')],
    ['invalid UTF-8', rawFrame(Uint8Array.of(0x22, 0xff, 0x22))],
    ['an empty frame', rawFrame('')],
  ])('answers %s with INVALID_REQUEST and keeps serving', async (_case, frame) => {
    const { client } = startHost();
    client.sendRaw(frame);
    expect(await client.response(null)).toMatchObject({ id: null, error: { code: ErrorCode.InvalidRequest } });
    expect(await client.request('version')).toMatchObject({ result: { protocol: PROTOCOL_VERSION } });
  });

  it('answers an oversize frame with FRAME_TOO_LARGE and exits non-zero', async () => {
    const { client, exit, readers } = startHost();
    client.sendRaw(frameHeader(LIMITS.maxRequestBytes + 1));
    expect(await client.response(null)).toMatchObject({ id: null, error: { code: ErrorCode.FrameTooLarge } });
    expect(await exit).toBe(HostExitCode.FrameTooLarge);
    expect(readers.closed).toBe(true);
  });

  it('answers the requests before an oversize frame, then exits', async () => {
    const { client, exit } = startHost();
    client.sendRaw(new Uint8Array([...rawFrame('{"id":"a","command":"version"}'), ...frameHeader(0xffffffff)]));
    expect(await client.response('a')).toMatchObject({ result: { host: '1.2.3' } });
    expect(await exit).toBe(HostExitCode.FrameTooLarge);
  });

  it.each([
    ['a foreign extension', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['an unidentified caller', null],
  ])('refuses %s with one FORBIDDEN_CALLER frame and exits non-zero', async (_case, callerId) => {
    const { client, exit, readers } = startHost({ callerId });
    expect(await exit).toBe(HostExitCode.ForbiddenCaller);
    expect(await client.response(null)).toMatchObject({ id: null, error: { code: ErrorCode.ForbiddenCaller } });
    expect(client.received).toHaveLength(1);
    expect(readers.closed).toBe(true);
  });

  it('serves an extension added to the allowlist', async () => {
    const { client } = startHost({ callerId: 'dev@example.org', allowedCallers: [...ALLOWED, 'dev@example.org'] });
    expect(await client.request('version')).toMatchObject({ result: { host: '1.2.3' } });
  });

  it('pushes card events after subscribe', async () => {
    const { client, readers } = startHost();
    expect(await client.request('subscribe')).toEqual({ id: 'req-1', result: {} });
    readers.emit({ type: 'card-removed', reader: READER });
    readers.insertCard(READER);
    expect(await client.event('hello')).toMatchObject({ protocol: PROTOCOL_VERSION });
    expect(await client.event()).toEqual({ event: 'card-removed', reader: READER });
    expect(await client.event()).toEqual({ event: 'card-inserted', reader: READER });
    expect(await client.request('unsubscribe')).toEqual({ id: 'req-2', result: {} });
    expect(readers.listenerCount).toBe(0);
  });

  it('answers many concurrent requests, each once, with whole frames', async () => {
    const { client, readers } = startHost();
    await client.request('subscribe');
    const ids = Array.from({ length: 30 }, (_, i) => `c${i}`);
    for (const id of ids) client.send({ id, command: i(id) % 3 === 0 ? 'readers' : 'readCard' });
    readers.insertCard(READER);
    const answers = await Promise.all(ids.map((id) => client.response(id)));
    expect(answers.every((answer) => 'result' in answer)).toBe(true);
    expect(client.unclaimed).toEqual([
      { event: 'hello', host: '1.2.3', protocol: PROTOCOL_VERSION },
      { event: 'card-inserted', reader: READER },
    ]);
  });

  it('resolves 0 promptly when stdin ends, closing the readers', async () => {
    const { client, exit, readers } = startHost();
    await client.request('version');
    const started = performance.now();
    client.end();
    expect(await exit).toBe(HostExitCode.Ok);
    expect(performance.now() - started).toBeLessThan(200);
    expect(readers.closed).toBe(true);
  });

  it('still answers a quick request that was in flight when stdin ended', async () => {
    const { client, exit } = startHost();
    client.send({ id: 'last', command: 'readCard' });
    client.end();
    expect(await exit).toBe(HostExitCode.Ok);
    expect(await client.response('last')).toMatchObject({ result: { reader: READER } });
  });

  it('exits within 1 s of stdin ending even when a request never completes', async () => {
    const { client, exit } = startHost({ legacy: () => new Promise<string>(() => undefined) });
    client.send({ id: 'stuck', command: 'legacy', line: 'H_Sign?Random=x' });
    await client.request('version');
    const started = performance.now();
    client.end();
    expect(await exit).toBe(HostExitCode.Ok);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('exits within 1 s when a card exchange hangs, rejecting it through close', async () => {
    const { client, exit, readers } = startHost();
    readers.gate = new Promise(() => undefined);
    client.send({ id: 'hung', command: 'readCard' });
    await client.request('version');
    const started = performance.now();
    client.end();
    expect(await exit).toBe(HostExitCode.Ok);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('answers an over-large response with INTERNAL under its id instead of a frame the browser would refuse', async () => {
    const { client } = startHost({ legacy: () => Promise.resolve('x'.repeat(LIMITS.maxResponseBytes)) });
    expect(await client.request('legacy', { line: 'GetBasic' })).toMatchObject({ id: 'req-1', error: { code: ErrorCode.Internal } });
    expect(await client.request('version')).toMatchObject({ result: { host: '1.2.3' } });
  });

  it('returns 0 when stdin ends even if stdout is broken', async () => {
    const stdin = new PassThrough();
    const broken = new Writable({
      write: (_chunk, _encoding, callback) => {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const readers = new FakeReaderService();
    const logs: string[] = [];
    const exit = runHost({
      readers,
      legacy: () => Promise.resolve(''),
      input: stdin,
      output: broken,
      version: '1.2.3',
      callerId: CHROME_EXTENSION_ID,
      allowedCallers: ALLOWED,
      log: (message) => logs.push(message),
    });
    stdin.end(rawFrame('{"id":"1","command":"version"}'));
    expect(await exit).toBe(HostExitCode.Ok);
    expect(logs.join('\n')).toContain('EPIPE');
  });

  it('logs failed and slow requests with command, id, outcome and duration, never card holder data', async () => {
    const slowLegacy = (line: string) => new Promise<string>((resolve) => setTimeout(resolve, SLOW_REQUEST_MS + 20, line === 'GetVersion' ? 'GetVersion:0011' : '9999'));
    const { client, logs } = startHost({ legacy: slowLegacy });
    await client.request('readCard');
    await client.request('readCard', { reader: 'Unplugged Reader 9' });
    await client.request('legacy', { line: 'GetBasic' });
    client.send({ id: 'z', command: 'readCard', reader: TEST_HOLDER.idNumber.repeat(30) });
    await client.response('z');
    const text = logs.join('\n');
    expect(text).toMatch(/readCard "req-2": READER_NOT_FOUND in \d+ ms/);
    expect(text).toMatch(/legacy "req-3": ok in \d+ ms \(slow\)/);
    expect(text).toMatch(/"z" rejected: INVALID_REQUEST/);
    for (const secret of [TEST_HOLDER.name, TEST_HOLDER.idNumber, TEST_HOLDER.cardNumber, '1996-02-03', TEST_HOLDER.birthRoc, 'GetBasic']) {
      expect(text).not.toContain(secret);
    }
  });

  it('writes no log line for a request that succeeds quickly', async () => {
    const { client, logs } = startHost();
    const before = logs.length;
    await client.request('readCard');
    await client.request('legacy', { line: 'GetVersion' });
    expect(logs.slice(before)).toEqual([]);
  });
});

/** The number in a request id like "c12". */
function i(id: string): number {
  return Number(id.slice(1));
}
