import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CardSession } from '../../../native-host/card/card-session';
import { handleLegacyLine, type LegacyContext } from '../../../native-host/legacy/legacy-handler';
import { SamService } from '../../../native-host/legacy/sam-service';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { ScriptedSession } from '../fakes/scripted-session';
import { basicScript } from './demo-card-script';
import { FakeReaderService } from './fake-reader-service';

const REPLY = /^(?:\d{4}|(?:GetVersion|GetBasic|GetRandom|H_Sign|H_SignIPAndPort|EnCrypt|SecureGetBasicWithParam):.*)$/su;
const b64 = (text: string): string => Buffer.from(text, 'latin1').toString('base64');

/** A card that answers each APDU with the next fuzzed answer, or fails the exchange. */
function chaoticSession(answers: readonly (Uint8Array | null)[]): CardSession {
  let next = 0;
  return {
    transmit: () => {
      const answer = answers[next++ % Math.max(answers.length, 1)];
      return answer === null || answer === undefined
        ? Promise.reject(new NhiCardError(ErrorCode.CardRemoved, 'gone'))
        : Promise.resolve(answer);
    },
  };
}

const line = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.tuple(
    fc.constantFrom('GetVersion', 'GetBasic', 'GetRandom', 'H_Sign', 'H_SignIPAndPort', 'EnCrypt', 'SecureGetBasicWithParam'),
    fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 40 }).map((value) => `?Pwd=${value}`),
      fc.stringMatching(/^[0-9]{18,22}$/u).map((value) => `?Random=${value}`),
      fc.tuple(fc.stringMatching(/^[0-9]{20}$/u), fc.constantFrom('127.0.0.1', 'localhost', '::1', '-bad-'), fc.integer({ min: -1, max: 70_000 })).map(
        ([random, ip, port]) => `?Random=${b64(random)}&IP=${b64(ip)}&PORT=${b64(String(port))}`,
      ),
    ),
  ).map(([name, query]) => name + query),
);

const readers = fc.oneof(
  fc.constant<'demo'>('demo'),
  fc.constantFrom(...Object.values(ErrorCode)).map((code) => new NhiCardError(code, 'fuzzed failure')),
  fc.array(fc.option(fc.uint8Array({ maxLength: 70 }), { nil: null }), { maxLength: 6 }),
);

describe('handleLegacyLine (fuzz)', () => {
  it('always resolves with a numeric code or a <Command>: reply', async () => {
    await fc.assert(
      fc.asyncProperty(line, readers, async (text, cards) => {
        const sessions = cards === 'demo' ? [new ScriptedSession(basicScript())] : cards instanceof NhiCardError ? cards : [chaoticSession(cards)];
        const context: LegacyContext = {
          readers: new FakeReaderService(sessions),
          // Closed port: fuzzed H_Sign lines fail fast with 4061 instead of reaching any service.
          sam: new SamService({ endpoint: { host: '127.0.0.1', port: 1, connectTimeoutMs: 200, readTimeoutMs: 200 } }),
          version: '0011',
          now: () => new Date(2024, 0, 15),
        };
        const reply = await handleLegacyLine(text, context);
        expect(reply).toMatch(REPLY);
      }),
      { numRuns: 10_000 },
    );
  }, 120_000);
});
