import { describe, expect, it, vi } from 'vitest';
import { CardMemo } from '../../../native-host/card/card-memo';
import { fromHex, toHex } from '../../../native-host/card/hex';
import { NhiCard, readIdentity } from '../../../native-host/card/nhi-card';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { ScriptedSession, type ScriptStep } from '../fakes/scripted-session';
import { expectNhiCardRejection } from './nhi-card-error-expectations';
import { buildRecord } from './record-fixture';

// The commands exactly as NHI-CARD-FACTS.md publishes them, written out rather than imported so
// these tests check the constants instead of repeating them.
const SELECT = '00 A4 04 00 10 D1 58 00 00 01 00 00 00 00 00 00 00 00 00 11 00';
const READ_BASIC = '00 CA 11 00 02 00 00 00';
const READ_HC = '00 CA 24 00 02 00 00 00';
const READ_CARD_ID = '00 CA 00 00 02 00 00 00';
const GET_CHALLENGE = '00 84 00 00 08';
const SAM_CHALLENGE = fromHex('A0'.repeat(32));
const MUTUAL_AUTH = `00 82 11 12 20 ${toHex(SAM_CHALLENGE)} 10`;

const RECORD_HEX = toHex(buildRecord());
const CARD_ID = '30 30 30 30 31 32 33 34 35 36 37 38';
const CHALLENGE = '01 02 03 04 05 06 07 08';
const AUTH_ANSWER = 'C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE CF D0';

type Operation = (card: NhiCard) => Promise<unknown>;

/** Every operation: how to call it, its command, and a good answer's data. */
const OPERATIONS: readonly (readonly [name: string, run: Operation, command: string, data: string])[] = [
  ['readBasicRecord', (card) => card.readBasicRecord(), READ_BASIC, RECORD_HEX],
  ['readHcTerminationFlag', (card) => card.readHcTerminationFlag(), READ_HC, '30 01 02'],
  ['readCardId', (card) => card.readCardId(), READ_CARD_ID, CARD_ID],
  ['getChallenge', (card) => card.getChallenge(), GET_CHALLENGE, CHALLENGE],
  ['mutualAuthenticate', (card) => card.mutualAuthenticate(SAM_CHALLENGE), MUTUAL_AUTH, AUTH_ANSWER],
];

/** Runs `operation` against a strict script and checks the script was played to the end. */
async function play<T>(steps: readonly ScriptStep[], operation: (card: NhiCard) => Promise<T>): Promise<T> {
  const session = new ScriptedSession(steps);
  const result = await operation(new NhiCard(session));
  session.assertDone();
  return result;
}

/** Asserts `operation` rejects with `code` after playing the whole script. */
async function playFailing(steps: readonly ScriptStep[], operation: Operation, code: ErrorCode): Promise<NhiCardError> {
  const session = new ScriptedSession(steps);
  const error = await expectNhiCardRejection(operation(new NhiCard(session)), code);
  session.assertDone();
  return error;
}

describe('NhiCard.select', () => {
  it('selects the NHI applet', async () => {
    await play([{ expect: SELECT, reply: '90 00' }], (card) => card.select());
  });

  it('accepts a T=0 SELECT answer fetched with GET RESPONSE', async () => {
    await play(
      [
        { expect: SELECT, reply: '61 04' },
        { expect: '00 C0 00 00 04', reply: '6F 02 84 00 90 00' },
      ],
      (card) => card.select(),
    );
  });

  it.each([
    ['6A 82', 'file not found'],
    ['6A 86', 'wrong P1/P2'],
    ['6D 00', 'instruction not supported'],
    ['6E 00', 'class not supported'],
    ['69 85', 'conditions not satisfied'],
  ])('reports a card answering %s (%s) as not an NHI card', async (sw) => {
    const error = await playFailing([{ expect: SELECT, reply: sw }], (card) => card.select(), ErrorCode.NotNhiCard);
    expect(error.message).toContain(sw.replace(' ', ''));
  });

  it('reports a card that gives no answer as removed', async () => {
    await playFailing([{ expect: SELECT, reply: '' }], (card) => card.select(), ErrorCode.CardRemoved);
  });
});

describe('NhiCard operations', () => {
  it('reads and parses the basic record', async () => {
    const record = await play([{ expect: READ_BASIC, reply: `${RECORD_HEX} 90 00` }], (card) => card.readBasicRecord());
    expect(record).toMatchObject({ cardNumber: '000012345678', name: '陳小明', idNumber: 'A123456789', birthDate: '1991-01-01' });
  });

  it('reads the basic record through 61 XX and GET RESPONSE in two chunks', async () => {
    const [head, tail] = [RECORD_HEX.slice(0, 40 * 3), RECORD_HEX.slice(40 * 3)];
    const record = await play(
      [
        { expect: READ_BASIC, reply: '61 28' },
        { expect: '00 C0 00 00 28', reply: `${head} 61 11` },
        { expect: '00 C0 00 00 11', reply: `${tail} 90 00` },
      ],
      (card) => card.readBasicRecord(),
    );
    expect(record.name).toBe('陳小明');
  });

  it('rereads the basic record with Le 39 after 6C 39', async () => {
    const record = await play(
      [
        { expect: READ_BASIC, reply: '6C 39' },
        { expect: '00 CA 11 00 02 00 00 39', reply: `${RECORD_HEX} 90 00` },
      ],
      (card) => card.readBasicRecord(),
    );
    expect(record.cardNumber).toBe('000012345678');
  });

  it('reads the termination flag from byte 0 of the HC data', async () => {
    expect(await play([{ expect: READ_HC, reply: '31 00 00 90 00' }], (card) => card.readHcTerminationFlag())).toBe('1');
  });

  it.each([['00'], ['1F'], ['80'], ['FF']])('rejects termination flag byte %s as not ASCII', async (flag) => {
    await playFailing([{ expect: READ_HC, reply: `${flag} 90 00` }], (card) => card.readHcTerminationFlag(), ErrorCode.InvalidCardData);
  });

  it('reads the 12-byte card id', async () => {
    const id = await play([{ expect: READ_CARD_ID, reply: `${CARD_ID} 90 00` }], (card) => card.readCardId());
    expect(toHex(id)).toBe(CARD_ID);
  });

  it('reads 8 challenge bytes', async () => {
    const challenge = await play([{ expect: GET_CHALLENGE, reply: `${CHALLENGE} 90 00` }], (card) => card.getChallenge());
    expect(toHex(challenge)).toBe(CHALLENGE);
  });

  it('rereads the challenge with the Le the card asks for after 6C 08', async () => {
    const challenge = await play(
      [
        { expect: GET_CHALLENGE, reply: '6C 08' },
        { expect: GET_CHALLENGE, reply: `${CHALLENGE} 90 00` },
      ],
      (card) => card.getChallenge(),
    );
    expect(toHex(challenge)).toBe(CHALLENGE);
  });

  it('passes the 32-byte SAM challenge and returns the 16-byte answer', async () => {
    const answer = await play([{ expect: MUTUAL_AUTH, reply: `${AUTH_ANSWER} 90 00` }], (card) => card.mutualAuthenticate(SAM_CHALLENGE));
    expect(toHex(answer)).toBe(AUTH_ANSWER);
  });

  it('fetches the mutual authentication answer with GET RESPONSE on T=0', async () => {
    const answer = await play(
      [
        { expect: MUTUAL_AUTH, reply: '61 10' },
        { expect: '00 C0 00 00 10', reply: `${AUTH_ANSWER} 90 00` },
      ],
      (card) => card.mutualAuthenticate(SAM_CHALLENGE),
    );
    expect(toHex(answer)).toBe(AUTH_ANSWER);
  });

  it.each([[0], [31], [33]])('refuses a %i-byte SAM challenge without sending anything', async (length) => {
    await playFailing([], (card) => card.mutualAuthenticate(new Uint8Array(length)), ErrorCode.Internal);
  });

  it('never selects on its own', async () => {
    await play([{ expect: READ_CARD_ID, reply: `${CARD_ID} 90 00` }], (card) => card.readCardId());
  });

  describe.each(OPERATIONS)('%s', (_name, operation, command) => {
    it.each([['69 82'], ['6A 82'], ['6F 00'], ['62 81']])('reports status %s as a card error', async (sw) => {
      const error = await playFailing([{ expect: command, reply: sw }], operation, ErrorCode.CardError);
      expect(error.message).toContain(sw.replace(' ', ''));
    });

    it('reports status 61 XX ending in an error as a card error', async () => {
      await playFailing(
        [
          { expect: command, reply: '61 02' },
          { expect: '00 C0 00 00 02', reply: '01 02 6F 00' },
        ],
        operation,
        ErrorCode.CardError,
      );
    });

    it.each([[''], ['90']])('reports the answer %j as a removed card', async (reply) => {
      await playFailing([{ expect: command, reply }], operation, ErrorCode.CardRemoved);
    });

    it('passes a session failure through', async () => {
      const failure = new NhiCardError(ErrorCode.CardTimeout, 'the card did not answer in time');
      const session = new ScriptedSession([{ expect: command, reject: failure }]);
      await expect(operation(new NhiCard(session))).rejects.toBe(failure);
      session.assertDone();
    });
  });

  it.each([
    ['basic data', OPERATIONS[0], RECORD_HEX.slice(3)],
    ['basic data', OPERATIONS[0], `${RECORD_HEX} 00`],
    ['HC data', OPERATIONS[1], ''],
    ['card id', OPERATIONS[2], CARD_ID.slice(3)],
    ['card id', OPERATIONS[2], `${CARD_ID} 00`],
    ['challenge', OPERATIONS[3], CHALLENGE.slice(3)],
    ['challenge', OPERATIONS[3], `${CHALLENGE} 09`],
    ['mutual authentication answer', OPERATIONS[4], AUTH_ANSWER.slice(3)],
    ['mutual authentication answer', OPERATIONS[4], ''],
  ])('rejects %s of the wrong length', async (_what, operationEntry, data) => {
    if (operationEntry === undefined) throw new Error('no such operation');
    const [, operation, command] = operationEntry;
    await playFailing([{ expect: command, reply: `${data} 90 00` }], operation, ErrorCode.InvalidCardData);
  });
});

describe('readIdentity', () => {
  it('selects the applet, then reads the basic record', async () => {
    const session = new ScriptedSession([
      { expect: SELECT, reply: '90 00' },
      { expect: READ_BASIC, reply: `${RECORD_HEX} 90 00` },
    ]);
    const record = await readIdentity(session);
    session.assertDone();
    expect(record.name).toBe('陳小明');
  });

  it("answers from the insertion's memo once the card gave its record, with no APDU", async () => {
    const session = new ScriptedSession([
      { expect: SELECT, reply: '90 00' },
      { expect: READ_BASIC, reply: `${RECORD_HEX} 90 00` },
    ]);
    const memo = new CardMemo();
    const first = await readIdentity(session, memo);
    expect(await readIdentity(session, memo)).toBe(first);
    session.assertDone();
  });

  it('keeps nothing in a memo that was forgotten while the read was under way', async () => {
    const memo = new CardMemo();
    const answers: (() => void)[] = [];
    const session = {
      transmit: (command: Uint8Array) =>
        new Promise<Uint8Array>((resolve) => {
          const reply = command[1] === 0xa4 ? '90 00' : `${RECORD_HEX} 90 00`;
          answers.push(() => {
            resolve(fromHex(reply));
          });
        }),
    };
    const reading = readIdentity(session, memo);
    await vi.waitFor(() => {
      expect(answers).toHaveLength(1);
    });
    answers[0]?.(); // SELECT
    await vi.waitFor(() => {
      expect(answers).toHaveLength(2);
    });
    memo.forget(); // The card is pulled while READ BASIC is at the card.
    answers[1]?.();
    expect((await reading).name).toBe('陳小明');
    expect(memo.peek('basicRecord')).toBeUndefined();
  });

  it('stops after a refused SELECT with NotNhiCard', async () => {
    const session = new ScriptedSession([{ expect: SELECT, reply: '6A 82' }]);
    await expectNhiCardRejection(readIdentity(session), ErrorCode.NotNhiCard);
    session.assertDone();
  });

  it('reports a card removed between SELECT and READ', async () => {
    const session = new ScriptedSession([
      { expect: SELECT, reply: '90 00' },
      { expect: READ_BASIC, reply: '' },
    ]);
    await expectNhiCardRejection(readIdentity(session), ErrorCode.CardRemoved);
    session.assertDone();
  });

  it('reports a malformed record as invalid card data without holder data in the message', async () => {
    const broken = toHex(buildRecord({ sex: 'X' }));
    const session = new ScriptedSession([
      { expect: SELECT, reply: '90 00' },
      { expect: READ_BASIC, reply: `${broken} 90 00` },
    ]);
    const error = await expectNhiCardRejection(readIdentity(session), ErrorCode.InvalidCardData);
    for (const value of ['A123456789', '000012345678', '陳小明', '0800101']) expect(error.message).not.toContain(value);
  });
});
