import { afterEach, describe, expect, it } from 'vitest';
import type { CardSession } from '../../../native-host/card/card-session';
import { Dispatcher, withFencedSession } from '../../../native-host/host/dispatcher';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { PROTOCOL_VERSION, resultSchemas, type HostEvent } from '../../../native-host/protocol/messages';
import { FakeReaderService, READ_BASIC_HEX, SELECT_HEX, TEST_HOLDER } from './fake-reader-service';

const READER = 'Virtual PCD 00 00';
const EXPECTED_IDENTITY = {
  cardNumber: TEST_HOLDER.cardNumber,
  name: TEST_HOLDER.name,
  idNumber: TEST_HOLDER.idNumber,
  birthDate: '1996-02-03',
  sex: 'F',
  issueDate: '2022-04-05',
  reader: READER,
};

let readers: FakeReaderService;
let events: HostEvent[];

function makeDispatcher(legacy: (line: string) => Promise<string> = () => Promise.resolve('9999')): Dispatcher {
  readers = new FakeReaderService();
  events = [];
  return new Dispatcher({ readers, legacy, version: '1.2.3', emit: (event) => events.push(event) });
}

afterEach(() => {
  expect(readers.violations).toEqual([]);
});

describe('Dispatcher', () => {
  it('answers version with the host and protocol versions', async () => {
    const dispatcher = makeDispatcher();
    expect(await dispatcher.dispatch({ id: 'v', command: 'version' })).toEqual({ id: 'v', result: { host: '1.2.3', protocol: PROTOCOL_VERSION } });
  });

  it('lists readers with only the fields of the wire contract', async () => {
    const dispatcher = makeDispatcher();
    readers.addReader('Empty').addReader(READER, TEST_HOLDER);
    const answer = await dispatcher.dispatch({ id: 'r', command: 'readers' });
    expect(answer).toEqual({
      id: 'r',
      result: { readers: [{ name: 'Empty', cardPresent: false }, { name: READER, cardPresent: true, atr: '3BFA1800' }] },
    });
    expect(resultSchemas.readers.safeParse('result' in answer && answer.result).success).toBe(true);
  });

  it('reads the identity with SELECT then READ BASIC and names the reader', async () => {
    const dispatcher = makeDispatcher();
    readers.addReader(READER, TEST_HOLDER);
    const answer = await dispatcher.dispatch({ id: 'c', command: 'readCard' });
    expect(answer).toEqual({ id: 'c', result: EXPECTED_IDENTITY });
    // Strict schema: nothing beyond the identity (no raw ROC dates, no name bytes) leaves the host.
    expect(resultSchemas.readCard.safeParse('result' in answer && answer.result).success).toBe(true);
    expect(readers.apduLog).toEqual([`${READER}: ${SELECT_HEX}`, `${READER}: ${READ_BASIC_HEX}`]);
  });

  it('passes the requested reader through', async () => {
    const dispatcher = makeDispatcher();
    readers.addReader('First', TEST_HOLDER).addReader('Second', TEST_HOLDER);
    const answer = await dispatcher.dispatch({ id: 'c', command: 'readCard', reader: 'Second' });
    expect(answer).toMatchObject({ result: { reader: 'Second' } });
  });

  it('skips a card without the NHI applet and reads the next reader', async () => {
    const dispatcher = makeDispatcher();
    readers.addReader('Bank card', 'other').addReader(READER, TEST_HOLDER);
    expect(await dispatcher.dispatch({ id: 'c', command: 'readCard' })).toEqual({ id: 'c', result: EXPECTED_IDENTITY });
  });

  it.each([
    ['no card anywhere', (): void => void readers.addReader(READER), ErrorCode.NoCard],
    ['only a non-NHI card', (): void => void readers.addReader(READER, 'other'), ErrorCode.NotNhiCard],
  ])('answers readCard with an error code when there is %s', async (_case, setUp, code) => {
    const dispatcher = makeDispatcher();
    setUp();
    const answer = await dispatcher.dispatch({ id: 'c', command: 'readCard' });
    expect(answer).toMatchObject({ id: 'c', error: { code } });
  });

  it('answers 20 concurrent readCard requests without interleaving APDUs', async () => {
    const dispatcher = makeDispatcher();
    readers.addReader(READER, TEST_HOLDER);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => dispatcher.dispatch({ id: `c${i}`, command: 'readCard' })));
    answers.forEach((answer, i) => {
      expect(answer).toEqual({ id: `c${i}`, result: EXPECTED_IDENTITY });
    });
    const expectedLog = Array.from({ length: 20 }, () => [`${READER}: ${SELECT_HEX}`, `${READER}: ${READ_BASIC_HEX}`]).flat();
    expect(readers.apduLog).toEqual(expectedLog);
  });

  it('pushes reader events after subscribe and stops after unsubscribe', async () => {
    const dispatcher = makeDispatcher();
    readers.addReader(READER);
    expect(await dispatcher.dispatch({ id: 's', command: 'subscribe' })).toEqual({ id: 's', result: {} });
    readers.insertCard(READER);
    readers.emit({ type: 'card-removed', reader: READER });
    expect(await dispatcher.dispatch({ id: 'u', command: 'unsubscribe' })).toEqual({ id: 'u', result: {} });
    readers.insertCard(READER);
    expect(events).toEqual([
      { event: 'card-inserted', reader: READER },
      { event: 'card-removed', reader: READER },
    ]);
  });

  it('subscribes once however often subscribe is sent, and close unsubscribes', async () => {
    const dispatcher = makeDispatcher();
    await dispatcher.dispatch({ id: 's1', command: 'subscribe' });
    await dispatcher.dispatch({ id: 's2', command: 'subscribe' });
    expect(readers.listenerCount).toBe(1);
    expect(dispatcher.subscribed).toBe(true);
    dispatcher.close();
    expect(readers.listenerCount).toBe(0);
    expect(dispatcher.subscribed).toBe(false);
  });

  it('answers legacy with the reply of the legacy handler', async () => {
    const dispatcher = makeDispatcher((line) => Promise.resolve(line === 'GetVersion' ? 'GetVersion:0011' : '9999'));
    expect(await dispatcher.dispatch({ id: 'l', command: 'legacy', line: 'GetVersion' })).toEqual({ id: 'l', result: { reply: 'GetVersion:0011' } });
  });

  it.each([
    ['an NhiCardError keeps its code', new NhiCardError(ErrorCode.CardRemoved, 'card removed'), { code: ErrorCode.CardRemoved, message: 'card removed' }],
    ['anything else becomes INTERNAL', new TypeError('x is undefined'), { code: ErrorCode.Internal, message: 'x is undefined' }],
  ])('turns a failing handler into an error answer: %s', async (_case, thrown, error) => {
    const dispatcher = makeDispatcher(() => Promise.reject(thrown));
    expect(await dispatcher.dispatch({ id: 'l', command: 'legacy', line: 'GetBasic' })).toEqual({ id: 'l', error });
  });
});

describe('withFencedSession', () => {
  const echo: CardSession = { transmit: (command) => Promise.resolve(command) };

  it('passes APDUs through while its turn lasts', async () => {
    const answer = await withFencedSession(echo, (session) => session.transmit(Uint8Array.of(1, 2)));
    expect([...answer]).toEqual([1, 2]);
  });

  it('refuses a transmit after the turn ended', async () => {
    let leaked: CardSession | undefined;
    await withFencedSession(echo, (session) => {
      leaked = session;
      return Promise.resolve();
    });
    await expect(leaked?.transmit(Uint8Array.of(1))).rejects.toMatchObject({ code: ErrorCode.Internal });
  });

  it('refuses a second APDU while one is in flight', async () => {
    await withFencedSession(echo, async (session) => {
      const first = session.transmit(Uint8Array.of(1));
      await expect(session.transmit(Uint8Array.of(2))).rejects.toMatchObject({ code: ErrorCode.Internal });
      await first;
    });
  });
});
