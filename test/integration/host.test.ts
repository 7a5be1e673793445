/**
 * Black-box test of the built host (`npm run build` -> dist/native-host/nhi-card): started the
 * way a browser starts it, talking framed JSON over stdio to a real pcscd with virtual cards.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { READ_BASIC_DATA, READ_CARD_ID, SELECT_NHI_APPLET } from '../../native-host/card/nhi-apdus';
import { HostExitCode } from '../../native-host/host/run-host';
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { CHROME_EXTENSION_ID, GECKO_EXTENSION_ID } from '../../native-host/protocol/extension-ids';
import { LIMITS, PROTOCOL_VERSION } from '../../native-host/protocol/messages';
import { DEMO_IDENTITY, fixtureProfile } from '../fixtures/profiles';
import { startRig, type Rig } from '../rig/rig';
import { frameHeader, rawFrame, spawnHost, type HostExit, type SpawnedHost } from '../support/host-client';

const HOST_BINARY = new URL('../../dist/native-host/nhi-card', import.meta.url).pathname;
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const CHROMIUM_ARGS = [`chrome-extension://${CHROME_EXTENSION_ID}/`];

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();
const SELECT_HEX = hex(SELECT_NHI_APPLET.toBytes());
const READ_BASIC_HEX = hex(READ_BASIC_DATA.toBytes());
const READ_CARD_ID_HEX = hex(READ_CARD_ID.toBytes());

let rig: Rig;
const hosts: SpawnedHost[] = [];

/** Starts the built host as `args` says a browser would, with the rig's pcscd. */
function startHost(args: readonly string[] = CHROMIUM_ARGS): SpawnedHost {
  const host = spawnHost(HOST_BINARY, args, { ...process.env, ...rig.env });
  hosts.push(host);
  return host;
}

/** Starts a host and waits for its hello. */
async function connect(args?: readonly string[]): Promise<SpawnedHost> {
  const host = startHost(args);
  await host.client.event('hello', 10_000);
  return host;
}

/** The host's exit, failing with its stderr when it takes longer than `ms`. */
async function exitWithin(host: SpawnedHost, ms: number): Promise<HostExit> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`host still running ${ms} ms later; its log:\n${host.stderr()}`));
    }, ms);
  });
  try {
    return await Promise.race([host.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  if (!existsSync(HOST_BINARY)) throw new Error(`${HOST_BINARY} is missing: run \`npm run build\` first`);
  rig = await startRig({ readers: 2 });
});

afterEach(async () => {
  for (const host of hosts.splice(0)) host.kill();
  await rig.removeCard(0);
  await rig.removeCard(1);
});

afterAll(async () => {
  await rig.close();
});

describe('native host (built binary)', () => {
  it('says hello first, then answers version', async () => {
    const { client } = startHost();
    expect(await client.event('hello', 10_000)).toEqual({ event: 'hello', host: PACKAGE_VERSION, protocol: PROTOCOL_VERSION });
    expect(client.received).toHaveLength(1);
    expect(await client.request('version')).toEqual({ id: 'req-1', result: { host: PACKAGE_VERSION, protocol: PROTOCOL_VERSION } });
  });

  it('serves Firefox started with our gecko id', async () => {
    const { client } = await connect(['/tmp/native-messaging-hosts/tw.nhi_card_bridge.json', GECKO_EXTENSION_ID]);
    expect(await client.request('version')).toMatchObject({ result: { protocol: PROTOCOL_VERSION } });
  });

  it('runs from its launcher without a word on stderr', () => {
    const run = spawnSync(HOST_BINARY, ['--version'], { encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout.trim(), stderr: run.stderr }).toEqual({ status: 0, stdout: `${PACKAGE_VERSION} (Node.js ${process.version})`, stderr: '' });
  });

  it('reads the card in the rig, and logs none of its data', async () => {
    await rig.insertCard(0, 'demo');
    const host = await connect();
    expect(await host.client.request('readCard')).toEqual({ id: 'req-1', result: { ...DEMO_IDENTITY, reader: rig.readerNames[0] } });
    for (const secret of [DEMO_IDENTITY.name, DEMO_IDENTITY.idNumber, DEMO_IDENTITY.cardNumber, DEMO_IDENTITY.birthDate]) {
      expect(host.stderr()).not.toContain(secret);
    }
  });

  it('lists the rig readers', async () => {
    await rig.insertCard(1, 'demo');
    const { client } = await connect();
    expect(await client.request('readers')).toMatchObject({
      result: {
        readers: [
          { name: rig.readerNames[0], cardPresent: false },
          { name: rig.readerNames[1], cardPresent: true },
        ],
      },
    });
  });

  it('pushes card-inserted and card-removed after subscribe', async () => {
    const { client } = await connect();
    expect(await client.request('subscribe')).toEqual({ id: 'req-1', result: {} });
    await rig.insertCard(1, 'demo');
    expect(await client.event('card-inserted')).toEqual({ event: 'card-inserted', reader: rig.readerNames[1] });
    await rig.removeCard(1);
    expect(await client.event('card-removed')).toEqual({ event: 'card-removed', reader: rig.readerNames[1] });
  });

  it('answers an unknown command with UNKNOWN_COMMAND', async () => {
    const { client } = await connect();
    expect(await client.request('formatDisk')).toMatchObject({ id: 'req-1', error: { code: ErrorCode.UnknownCommand } });
  });

  it('answers a request without id with INVALID_REQUEST and id null', async () => {
    const { client } = await connect();
    client.send({ command: 'version' });
    expect(await client.response(null)).toMatchObject({ id: null, error: { code: ErrorCode.InvalidRequest } });
  });

  it('answers invalid JSON with INVALID_REQUEST and keeps serving', async () => {
    const { client } = await connect();
    client.sendRaw(rawFrame('{"id":"1","command":'));
    expect(await client.response(null)).toMatchObject({ id: null, error: { code: ErrorCode.InvalidRequest } });
    expect(await client.request('version')).toMatchObject({ result: { host: PACKAGE_VERSION } });
  });

  it('answers an oversize frame with FRAME_TOO_LARGE and exits non-zero', async () => {
    const host = await connect();
    host.client.sendRaw(frameHeader(LIMITS.maxRequestBytes + 1));
    expect(await host.client.response(null)).toMatchObject({ id: null, error: { code: ErrorCode.FrameTooLarge } });
    expect(await exitWithin(host, 1000)).toEqual({ code: HostExitCode.FrameTooLarge, signal: null });
  });

  it('answers 50 concurrent requests correctly without interleaving APDUs', async () => {
    const card = await rig.insertCard(0, 'demo');
    const { client } = await connect();
    // readCard is answered from the insertion's memo after its first read; EnCrypt goes to the
    // card every time (SELECT + READ CARD ID), so the card sees 26 sequences racing for it.
    const requests = Array.from({ length: 50 }, (_, index) =>
      index % 2 === 0 ? client.request('readCard', {}, 20_000) : client.request('legacy', { line: 'EnCrypt?Pwd=abc123' }, 20_000),
    );
    const answers = await Promise.all(requests);
    answers.forEach((answer, index) => {
      if (index % 2 === 0) expect(answer).toMatchObject({ result: { ...DEMO_IDENTITY, reader: rig.readerNames[0] } });
      else expect(answer).toMatchObject({ result: { reply: expect.stringMatching(/^EnCrypt:[0-9A-F]{32}$/u) as unknown } });
    });
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(50);
    const commands = card.apduLog.map((entry) => entry.command);
    const selects = commands.flatMap((command, index) => (command === SELECT_HEX ? [index] : []));
    expect(selects).toHaveLength(26);
    expect(commands.filter((command) => command === READ_BASIC_HEX)).toHaveLength(1);
    expect(commands.filter((command) => command === READ_CARD_ID_HEX)).toHaveLength(25);
    for (const index of selects) expect([READ_BASIC_HEX, READ_CARD_ID_HEX]).toContain(commands[index + 1]);
  });

  it('reads a re-inserted card again instead of answering from the last insertion', async () => {
    await rig.insertCard(0, 'demo');
    const host = await connect();
    await host.client.request('subscribe');
    expect(await host.client.request('readCard')).toMatchObject({ result: { cardNumber: DEMO_IDENTITY.cardNumber } });
    const removed = host.client.waitFor((message) => 'event' in message && message.event === 'card-removed', 8000, 'card-removed');
    await rig.removeCard(0);
    await removed;
    expect(await host.client.request('readCard')).toMatchObject({ error: { code: ErrorCode.NoCard } });
    const inserted = host.client.waitFor((message) => 'event' in message && message.event === 'card-inserted', 8000, 'card-inserted');
    const other = await rig.insertCard(0, 'eten-name');
    await inserted;
    expect(await host.client.request('readCard')).toMatchObject({ result: { cardNumber: fixtureProfile('eten-name').cardNumber } });
    expect(other.apduLog.map((entry) => entry.command)).toEqual([SELECT_HEX, READ_BASIC_HEX]);
  });

  it('exits 0 within 1 s of stdin closing', async () => {
    const host = await connect();
    await host.client.request('subscribe');
    host.client.end();
    expect(await exitWithin(host, 1000)).toEqual({ code: HostExitCode.Ok, signal: null });
  });

  it.each([
    ['a foreign Chromium extension', ['chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/']],
    ['a foreign Firefox extension', ['/tmp/tw.nhi_card_bridge.json', 'evil@example.org']],
  ])('refuses %s with one FORBIDDEN_CALLER frame and a non-zero exit', async (_case, args) => {
    const host = startHost(args);
    expect(await host.client.response(null, 10_000)).toMatchObject({ id: null, error: { code: ErrorCode.ForbiddenCaller } });
    expect(await exitWithin(host, 1000)).toEqual({ code: HostExitCode.ForbiddenCaller, signal: null });
    expect(host.client.received).toHaveLength(1);
  });
});
