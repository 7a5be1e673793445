import { afterEach, describe, expect, it } from 'vitest';
import { LegacyFailure } from '../../../native-host/legacy/legacy-error-codes';
import { LegacyCode } from '../../../native-host/protocol/nhiicc';
import { checkSamHealth, withSamSession, type SamCard } from '../../../native-host/legacy/sam-client';
import type { SamEndpoint } from '../../../native-host/legacy/sam-endpoint';
import { cardAuthAnswer } from '../../sim/card-auth';
import { startSamSimulator, type SamSimFault, type SamSimulator, type SamSimulatorOptions } from '../../sim/sam/sam-simulator';

const CARD_ID = new TextEncoder().encode('000012345678');
const SIGN_DATA = '00111234567890123456';

/** A card that answers like the virtual card: its mutual-auth answer is cardAuthAnswer. */
function testCard(overrides: Partial<SamCard> = {}): SamCard {
  return {
    readCardId: () => Promise.resolve(CARD_ID),
    getChallenge: () => Promise.resolve(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)),
    mutualAuthenticate: (challenge) => Promise.resolve(cardAuthAnswer(CARD_ID, challenge)),
    ...overrides,
  };
}

let simulator: SamSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(options: SamSimulatorOptions = {}): Promise<SamEndpoint> {
  simulator = await startSamSimulator(options);
  return { host: simulator.host, port: simulator.port, connectTimeoutMs: 1_000, readTimeoutMs: 400 };
}

async function codeOf(run: () => Promise<unknown>): Promise<number> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LegacyFailure) return error.code;
    throw error;
  }
  throw new Error('expected a LegacyFailure');
}

describe('SAM client against the simulator', () => {
  it('agrees a session key and passes the health check', async () => {
    const endpoint = await start();
    await checkSamHealth(endpoint);
    expect(simulator?.log.map((entry) => entry.event)).toEqual(['connected', 'hello', 'session-key', 'health']);
  });

  it('authenticates the card and returns a 256-character signature the simulator verifies', async () => {
    const endpoint = await start();
    const signature = await withSamSession(endpoint, (session) => session.authenticateCard(testCard(), SIGN_DATA));
    expect(signature).toMatch(/^[0-9A-F]{256}$/u);
    expect(simulator?.verifySignature({ cardId: CARD_ID, random: SIGN_DATA, signature })).toBe(true);
    expect(simulator?.verifySignature({ cardId: '000012345678', random: SIGN_DATA, signature })).toBe(true);
    expect(simulator?.verifySignature({ cardId: CARD_ID, random: '00119999999999999999', signature })).toBe(false);
    expect(simulator?.log.map((entry) => entry.event)).toEqual(['connected', 'hello', 'session-key', 'card-id', 'card-accepted', 'signed']);
  });

  it('refuses to sign data that is not 20 characters', async () => {
    const endpoint = await start();
    expect(await codeOf(() => withSamSession(endpoint, (session) => session.authenticateCard(testCard(), '0011123')))).toBe(LegacyCode.UnknownCommand);
  });

  it('maps a refused connection to 4061', async () => {
    const endpoint = await start({ fault: { kind: 'refuse' } });
    expect(await codeOf(() => checkSamHealth(endpoint))).toBe(4061);
  });

  it.each<{ name: string; fault: SamSimFault; code: number }>([
    // Before the handshake completes every failure is 4061, as for a closed port.
    { name: 'a bad Hello frame', fault: { kind: 'bad-frame', at: 'hello' }, code: 4061 },
    { name: 'a stalled Hello', fault: { kind: 'stall', at: 'hello' }, code: 4061 },
    { name: 'a connection closed instead of Hello', fault: { kind: 'close', at: 'hello' }, code: 4061 },
    { name: 'an unhealthy answer', fault: { kind: 'unhealthy' }, code: 8005 },
    { name: 'a garbled health answer', fault: { kind: 'bad-frame', at: 'health' }, code: 8005 },
    { name: 'a stalled health answer', fault: { kind: 'stall', at: 'health' }, code: 8004 },
    { name: 'a connection closed instead of the health answer', fault: { kind: 'close', at: 'health' }, code: 8004 },
  ])('maps $name during the health check to $code', async ({ fault, code }) => {
    const endpoint = await start({ fault });
    expect(await codeOf(() => checkSamHealth(endpoint))).toBe(code);
  });

  it.each<{ name: string; fault: SamSimFault; code: number }>([
    { name: 'a bad challenge frame', fault: { kind: 'bad-frame', at: 'challenge' }, code: 8005 },
    { name: 'a stalled challenge', fault: { kind: 'stall', at: 'challenge' }, code: 8005 },
    { name: 'a connection closed instead of the challenge', fault: { kind: 'close', at: 'challenge' }, code: 8005 },
    { name: 'a card the service rejects', fault: { kind: 'reject-card' }, code: 8006 },
    { name: 'a bad signature frame', fault: { kind: 'bad-frame', at: 'signature' }, code: 8008 },
    { name: 'a stalled signature', fault: { kind: 'stall', at: 'signature' }, code: 8008 },
    { name: 'a connection closed mid-exchange', fault: { kind: 'close', at: 'signature' }, code: 8008 },
  ])('maps $name during card authentication to $code', async ({ fault, code }) => {
    const endpoint = await start({ fault });
    expect(await codeOf(() => withSamSession(endpoint, (session) => session.authenticateCard(testCard(), SIGN_DATA)))).toBe(code);
  });

  it('maps a wrong card answer (the service refuses it) to 8006', async () => {
    const endpoint = await start();
    const card = testCard({ mutualAuthenticate: () => Promise.resolve(new Uint8Array(16)) });
    expect(await codeOf(() => withSamSession(endpoint, (session) => session.authenticateCard(card, SIGN_DATA)))).toBe(8006);
    expect(simulator?.log.map((entry) => entry.event)).toContain('card-rejected');
  });

  it.each<{ name: string; overrides: Partial<SamCard>; code: number }>([
    { name: 'the card id', overrides: { readCardId: () => Promise.reject(new Error('no id')) }, code: 8001 },
    { name: 'the card challenge', overrides: { getChallenge: () => Promise.reject(new Error('no challenge')) }, code: 8002 },
    { name: 'the mutual authentication', overrides: { mutualAuthenticate: () => Promise.reject(new Error('refused')) }, code: 8006 },
  ])('maps a card failure during $name to $code', async ({ overrides, code }) => {
    const endpoint = await start();
    expect(await codeOf(() => withSamSession(endpoint, (session) => session.authenticateCard(testCard(overrides), SIGN_DATA)))).toBe(code);
  });
});
