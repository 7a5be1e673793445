/**
 * What H_Sign and H_SignIPAndPort may reach, against real TCP listeners on 127.0.0.1: a page can
 * name only endpoints the host allows, anything else is refused before any connection, every
 * failure before the handshake completes gives one code, and SAM exchanges run one at a time.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { handleLegacyLine } from '../../../native-host/legacy/legacy-handler';
import { checkSamHealth } from '../../../native-host/legacy/sam-client';
import type { SamEndpoint } from '../../../native-host/legacy/sam-endpoint';
import { MAX_WAITING_EXCHANGES } from '../../../native-host/legacy/sam-gate';
import { SamService, type SamSettings } from '../../../native-host/legacy/sam-service';
import { startSamSimulator, type SamSimFault, type SamSimulator } from '../../sim/sam/sam-simulator';
import { ScriptedSession } from '../fakes/scripted-session';
import { FakeReaderService } from './fake-reader-service';

const RANDOM = '00111234567890123456';
const b64 = (text: string): string => Buffer.from(text, 'latin1').toString('base64');
const signIpAndPort = (host: string, port: number): string => `H_SignIPAndPort?Random=${b64(RANDOM)}&IP=${b64(host)}&PORT=${b64(String(port))}`;
/** Nothing listens on port 1. */
const CLOSED: SamEndpoint = { host: '127.0.0.1', port: 1 };
const TIMEOUTS = { connectTimeoutMs: 1_000, readTimeoutMs: 300 };

/** A TCP listener that records its connections; it stays silent, or floods what connects. */
interface Listener {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: () => number;
  /** The most connections that were open at once. */
  readonly mostAtOnce: () => number;
}

const servers: Server[] = [];
let simulator: SamSimulator | undefined;
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  await simulator?.close();
  simulator = undefined;
});

async function listen(behaviour: 'silent' | 'flood'): Promise<Listener> {
  let accepted = 0;
  let open = 0;
  let mostAtOnce = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    accepted++;
    open++;
    mostAtOnce = Math.max(mostAtOnce, open);
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      open--;
      sockets.delete(socket);
    });
    if (behaviour === 'flood') {
      const block = Buffer.alloc(64 * 1024, 0x5a);
      const flood = (): void => {
        while (!socket.destroyed && socket.write(block)) {
          /* until the kernel pushes back */
        }
      };
      socket.on('drain', flood);
      flood();
    }
  });
  // close() waits for open connections: drop them so each test ends promptly.
  const close = server.close.bind(server);
  server.close = (callback) => {
    for (const socket of sockets) socket.destroy();
    return close(callback);
  };
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, accepted: () => accepted, mostAtOnce: () => mostAtOnce };
}

/** Answers `line` with a card that must not be touched (an empty strict script) and the given SAM settings. */
async function answerWithoutCard(line: string, settings: SamSettings): Promise<{ reply: string; cardClaims: number }> {
  const readers = new FakeReaderService([new ScriptedSession([])]);
  const reply = await handleLegacyLine(line, { readers, sam: new SamService(settings), version: '0011', now: () => new Date() });
  return { reply, cardClaims: readers.withCardCalls };
}

describe('H_SignIPAndPort endpoint allowlist', () => {
  it.each([
    ['127.0.0.1', 'the loopback address'],
    ['localhost', 'localhost'],
  ])('refuses %s (%s) on a port nobody allowed, without a connection or a card access', async (host) => {
    const listener = await listen('silent');
    const { reply, cardClaims } = await answerWithoutCard(signIpAndPort(host, listener.port), { endpoint: { ...CLOSED, ...TIMEOUTS } });
    expect(reply).toBe('4061');
    expect(listener.accepted()).toBe(0);
    expect(cardClaims).toBe(0);
  });

  it('refuses a private-range address and a look-alike of the official name', async () => {
    for (const [host, port] of [
      ['192.168.1.1', 443],
      ['10.0.0.1', 22],
      ['cloudicap.nhi.gov.tw.evil.example', 443],
      ['cloudicap.nhi.gov.tw', 8443],
    ] as const) {
      const { reply, cardClaims } = await answerWithoutCard(signIpAndPort(host, port), { endpoint: { ...CLOSED, ...TIMEOUTS } });
      expect([host, reply, cardClaims]).toEqual([host, '4061', 0]);
    }
  });

  it('lets a page name the configured endpoint or one the administrator added, and nothing else', async () => {
    const configured = await listen('silent');
    const added = await listen('silent');
    const other = await listen('silent');
    const settings: SamSettings = {
      endpoint: { host: '127.0.0.1', port: configured.port, ...TIMEOUTS },
      alsoAllowed: [{ host: '127.0.0.1', port: added.port }],
    };
    for (const listener of [configured, added, other]) {
      expect((await answerWithoutCard(signIpAndPort('127.0.0.1', listener.port), settings)).reply).toBe('4061');
    }
    // The two allowed listeners were reached (and said nothing); the third never was.
    expect([configured.accepted(), added.accepted(), other.accepted()]).toEqual([1, 1, 0]);
  });
});

describe('failures before the SAM handshake completes', () => {
  const faults: [string, SamSimFault][] = [
    ['a garbled Hello', { kind: 'bad-frame', at: 'hello' }],
    ['no Hello', { kind: 'stall', at: 'hello' }],
    ['a connection closed instead of Hello', { kind: 'close', at: 'hello' }],
  ];

  it.each(faults)('answer 4061 for %s, without touching the card', async (_name, fault) => {
    simulator = await startSamSimulator({ fault });
    const { reply, cardClaims } = await answerWithoutCard(`H_Sign?Random=${RANDOM}`, { endpoint: { host: simulator.host, port: simulator.port, ...TIMEOUTS } });
    expect([reply, cardClaims]).toEqual(['4061', 0]);
  });

  it.each(['silent', 'flood'] as const)('answer 4061 for a %s listener, as for a closed port', async (behaviour) => {
    const listener = await listen(behaviour);
    const open = await answerWithoutCard(`H_Sign?Random=${RANDOM}`, { endpoint: { host: '127.0.0.1', port: listener.port, ...TIMEOUTS } });
    const closed = await answerWithoutCard(`H_Sign?Random=${RANDOM}`, { endpoint: { ...CLOSED, ...TIMEOUTS } });
    expect(listener.accepted()).toBe(1);
    expect([open.reply, open.cardClaims]).toEqual(['4061', 0]);
    expect(open).toEqual(closed);
  });

  it('answer 4061 when the server key is not the pinned one, and complete the handshake when it is', async () => {
    simulator = await startSamSimulator();
    const endpoint = { host: simulator.host, port: simulator.port, ...TIMEOUTS };
    const pinnedElsewhere = await answerWithoutCard(`H_Sign?Random=${RANDOM}`, { endpoint: { ...endpoint, serverKeySha256: ['0'.repeat(64)] } });
    expect([pinnedElsewhere.reply, pinnedElsewhere.cardClaims]).toEqual(['4061', 0]);
    expect(simulator.log.map((entry) => entry.event)).not.toContain('session-key');
    await checkSamHealth({ ...endpoint, serverKeySha256: ['0'.repeat(64), simulator.keySha256] });
    expect(simulator.log.map((entry) => entry.event)).toContain('health');
  });
});

describe('SAM connections host-wide', () => {
  it('opens one at a time however many H_Sign requests arrive together, and refuses the excess at once', async () => {
    // A listener that holds every connection until the test drops it: the host only moves on to
    // another connection after seeing this one closed, so "open" here is exact, not a race.
    const held: Socket[] = [];
    let arrived: (() => void) | undefined;
    let open = 0;
    let mostAtOnce = 0;
    const server = createServer((socket) => {
      open++;
      mostAtOnce = Math.max(mostAtOnce, open);
      socket.on('error', () => undefined);
      held.push(socket);
      arrived?.();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const nextConnection = async (): Promise<Socket> => {
      for (;;) {
        const socket = held.shift();
        if (socket !== undefined) return socket;
        await new Promise<void>((resolve) => (arrived = resolve));
      }
    };

    const readers = new FakeReaderService([new ScriptedSession([])]);
    const sam = new SamService({ endpoint: { host: '127.0.0.1', port: address.port, connectTimeoutMs: 5_000, readTimeoutMs: 60_000 } });
    const context = { readers, sam, version: '0011', now: () => new Date() };
    const requests = MAX_WAITING_EXCHANGES + 4;
    let settled = 0;
    const replies = Array.from({ length: requests }, () =>
      handleLegacyLine(`H_Sign?Random=${RANDOM}`, context).then((reply) => {
        settled++;
        return reply;
      }),
    );

    const allowed = MAX_WAITING_EXCHANGES + 1;
    for (let index = 0; index < allowed; index++) {
      const connection = await nextConnection();
      await new Promise((resolve) => setImmediate(resolve));
      // Beyond the running exchange and the queued ones, requests were refused without waiting.
      expect(settled).toBe(requests - allowed + index);
      expect(open).toBe(1);
      open--;
      connection.destroy();
    }
    expect(await Promise.all(replies)).toEqual(Array.from({ length: requests }, () => '4061'));
    expect(mostAtOnce).toBe(1);
    expect(held).toEqual([]);
    expect(readers.withCardCalls).toBe(0);
  });
});
