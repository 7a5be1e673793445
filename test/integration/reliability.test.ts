/**
 * Reliability of the built host on the real rig: a long run of reads without a failure, and each
 * fault giving its documented error and then recovering without restarting the host.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { READ_CARD_ID } from '../../native-host/card/nhi-apdus';
import { CHROME_EXTENSION_ID } from '../../native-host/protocol/extension-ids';
import type { Response } from '../../native-host/protocol/messages';
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { DEMO_IDENTITY, fixtureProfile } from '../fixtures/profiles';
import { startRig, type Rig } from '../rig/rig';
import { startSamSimulator, type SamSimulator } from '../sim/sam/sam-simulator';
import { spawnHost, type SpawnedHost } from '../support/host-client';

const HOST_BINARY = new URL('../../dist/native-host/nhi-card', import.meta.url).pathname;
const SOAK_READS = 2000;
const EXCHANGE_TIMEOUT_MS = 500;

let rig: Rig;
const hosts: SpawnedHost[] = [];
const simulators: SamSimulator[] = [];

/** A host started as Chromium starts it, with a short APDU timeout and the given SAM endpoint. */
async function connect(samPort = 9): Promise<SpawnedHost> {
  const host = spawnHost(HOST_BINARY, [`chrome-extension://${CHROME_EXTENSION_ID}/`], {
    ...process.env,
    ...rig.env,
    NHI_CARD_EXCHANGE_TIMEOUT_MS: String(EXCHANGE_TIMEOUT_MS),
    NHI_CARD_SAM_ENDPOINT: `127.0.0.1:${samPort}`,
  });
  hosts.push(host);
  await host.client.event('hello', 10_000);
  return host;
}

const errorCode = (response: Response): string | undefined => ('error' in response ? response.error.code : undefined);
const legacyReply = (response: Response): string => ('result' in response ? String((response.result as { reply?: unknown }).reply) : '');
const READ_CARD_ID_HEX = Buffer.from(READ_CARD_ID.toBytes()).toString('hex').toUpperCase();
const cardNumber = (response: Response): unknown => ('result' in response ? (response.result as { cardNumber?: unknown }).cardNumber : undefined);

/** Inserts a card and waits until the host has pushed card-inserted for it. */
async function insertSeen(host: SpawnedHost, slot: number, card: Parameters<Rig['insertCard']>[1]): Promise<void> {
  const seen = host.client.waitFor((message) => 'event' in message && message.event === 'card-inserted', 8000, 'card-inserted');
  await rig.insertCard(slot, card);
  await seen;
}

beforeAll(async () => {
  rig = await startRig({ readers: 2 });
});

afterEach(async () => {
  for (const host of hosts.splice(0)) host.kill();
  await Promise.all(simulators.splice(0).map((simulator) => simulator.close()));
  if (!rig.pcscdRunning) await rig.startPcscd();
  await rig.removeCard(0);
  await rig.removeCard(1);
});

afterAll(async () => {
  await rig.close();
});

describe('host reliability on the real rig', () => {
  it(`answers ${SOAK_READS} reads and ${SOAK_READS} card exchanges in a row without a failure`, async () => {
    const card = await rig.insertCard(0, 'demo');
    const host = await connect();
    const failures: string[] = [];
    for (let read = 0; read < SOAK_READS; read++) {
      const response = await host.client.request('readCard');
      if (cardNumber(response) !== DEMO_IDENTITY.cardNumber) failures.push(`read ${read}: ${errorCode(response) ?? 'wrong data'}`);
      // readCard answers from the insertion's memo after the first read; EnCrypt reaches the card every time.
      const encrypted = await host.client.request('legacy', { line: 'EnCrypt?Pwd=abc123' });
      if (!/^EnCrypt:[0-9A-F]{32}$/u.test(legacyReply(encrypted))) failures.push(`EnCrypt ${read}: ${errorCode(encrypted) ?? legacyReply(encrypted)}`);
    }
    expect(failures).toEqual([]);
    const cardIdReads = card.apduLog.filter((entry) => entry.command === READ_CARD_ID_HEX && entry.response?.endsWith('9000') === true);
    expect(cardIdReads).toHaveLength(SOAK_READS);
  }, 120_000);

  it('reports CARD_REMOVED when the card is pulled mid-read, then reads the re-inserted card', async () => {
    const host = await connect();
    await host.client.request('subscribe');
    await insertSeen(host, 0, { profile: fixtureProfile('demo'), removeAfterApdus: 1 });
    const removed = host.client.waitFor((message) => 'event' in message && message.event === 'card-removed', 8000, 'card-removed');
    expect(errorCode(await host.client.request('readCard'))).toBe(ErrorCode.CardRemoved);
    await removed;
    await insertSeen(host, 0, 'demo');
    expect(cardNumber(await host.client.request('readCard'))).toBe(DEMO_IDENTITY.cardNumber);
  });

  it('reports PCSC_UNAVAILABLE while pcscd is down and reads again once it is back', async () => {
    await rig.insertCard(0, 'demo');
    const host = await connect();
    await host.client.request('subscribe');
    expect(cardNumber(await host.client.request('readCard'))).toBe(DEMO_IDENTITY.cardNumber);
    const readerGone = host.client.waitFor((message) => 'event' in message && message.event === 'reader-removed', 8000, 'reader-removed');
    await rig.stopPcscd({ signal: 'SIGKILL' });
    await readerGone;
    // The readers vanish one by one before the context itself fails: poll until it has.
    await expect.poll(async () => errorCode(await host.client.request('readCard')), { timeout: 5000 }).toBe(ErrorCode.PcscUnavailable);
    await rig.startPcscd();
    await insertSeen(host, 0, 'demo');
    const after = await host.client.request('readCard');
    expect(after, host.stderr()).toMatchObject({ result: { cardNumber: DEMO_IDENTITY.cardNumber } });
  });

  it('reports CARD_TIMEOUT for a card that never answers, and serves the next card', async () => {
    const host = await connect();
    await host.client.request('subscribe');
    await insertSeen(host, 0, { profile: fixtureProfile('demo'), neverAnswer: true });
    expect(errorCode(await host.client.request('readCard'))).toBe(ErrorCode.CardTimeout);
    expect('result' in (await host.client.request('readers'))).toBe(true);
    await rig.removeCard(0);
    await insertSeen(host, 0, 'demo');
    expect(cardNumber(await host.client.request('readCard'))).toBe(DEMO_IDENTITY.cardNumber);
  });

  it('answers H_Sign with 4061 while the SAM service is down and signs once it is back', async () => {
    const first = await startSamSimulator();
    const { port } = first;
    await first.close();
    await rig.insertCard(0, 'demo');
    const host = await connect(port);
    const line = 'H_Sign?Random=00111234567890123456';
    const reply = (response: Response): unknown => ('result' in response ? (response.result as { reply?: unknown }).reply : undefined);
    expect(reply(await host.client.request('legacy', { line }))).toBe('4061');
    const simulator = await startSamSimulator({ port });
    simulators.push(simulator);
    expect(reply(await host.client.request('legacy', { line }))).toMatch(/^H_Sign:.{256}$/);
  });
});
