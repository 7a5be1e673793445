/**
 * H_Sign claims the card per card step: while the SAM service is slow, other commands reach the
 * card; and a card swapped between steps ends the exchange instead of mixing two cards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { handleLegacyLine, type LegacyContext } from '../../../native-host/legacy/legacy-handler';
import { SamService } from '../../../native-host/legacy/sam-service';
import { StepwiseCard } from '../../../native-host/legacy/stepwise-card';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { startSamSimulator, type SamSimEvent, type SamSimStage, type SamSimulator } from '../../sim/sam/sam-simulator';
import { ScriptedSession } from '../fakes/scripted-session';
import { cardAuthAnswer } from '../../sim/card-auth';
import { basicScript, DEMO_CARD_ID, DEMO_CSV, step } from './demo-card-script';
import { FakeReaderService } from './fake-reader-service';

const RANDOM = '00111234567890123456';

let simulator: SamSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

/** Resolves once the simulator has logged `event` (checked after every turn of the event loop). */
async function simulatorSaw(event: SamSimEvent['event']): Promise<void> {
  while (!(simulator?.log.some((entry) => entry.event === event) ?? false)) await new Promise((resolve) => setImmediate(resolve));
}

describe('H_Sign and the card', () => {
  // The simulator logs the stall as a 'fault' once the card's steps before it are done:
  // at 'challenge' the card gave its id and challenge, at 'signature' it also answered the SAM.
  it.each<SamSimStage>(['challenge', 'signature'])('leaves the card to another tab while the SAM service stalls at %s', async (stage) => {
    const challenge = Uint8Array.from({ length: 32 }, (_, index) => index);
    simulator = await startSamSimulator({ fault: { kind: 'stall', at: stage }, fixedChallenge: challenge });
    const signSteps = [step.select(), step.readCardId(), step.getChallenge()];
    const authStep = step.mutualAuth(challenge, cardAuthAnswer(new TextEncoder().encode(DEMO_CARD_ID), challenge));
    // The strict script is the order the card sees: H_Sign's steps, then the other tab's GetBasic.
    const session = new ScriptedSession(stage === 'signature' ? [...signSteps, authStep, ...basicScript()] : [...signSteps, ...basicScript()]);
    const readers = new FakeReaderService([session]);
    const context: LegacyContext = {
      readers,
      // A long read timeout: the stalled H_Sign stays pending until the other tab is served.
      sam: new SamService({ endpoint: { host: simulator.host, port: simulator.port, connectTimeoutMs: 2_000, readTimeoutMs: 60_000 } }),
      version: '0011',
      now: () => new Date(),
    };
    let signed: string | undefined;
    const signing = handleLegacyLine(`H_Sign?Random=${RANDOM}`, context).then((reply) => (signed = reply));
    await simulatorSaw('fault');

    expect(await handleLegacyLine('GetBasic', context)).toBe(`GetBasic:${DEMO_CSV}`);
    expect(signed).toBeUndefined();
    session.assertDone();

    await simulator.close();
    expect(await signing).toBe(stage === 'challenge' ? '8005' : '8008');
  });
});

describe('StepwiseCard', () => {
  it('refuses a later step when the card was re-inserted after the first', async () => {
    const session = new ScriptedSession([step.select(), step.readCardId()]);
    const readers = new FakeReaderService([session]);
    const card = new StepwiseCard(readers);
    await card.readCardId();
    readers.reinsert(0);
    await expect(card.getChallenge()).rejects.toThrow(new NhiCardError(ErrorCode.CardRemoved, 'the card was removed or changed during H_Sign'));
    session.assertDone();
  });
});
