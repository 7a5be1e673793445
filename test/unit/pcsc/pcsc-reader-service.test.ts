/**
 * The PC/SC reader service's logic (reader choice, connection reuse and release, timeouts, errors,
 * serialization) over a strict scripted binding: no pcscd. Cards answer from APDU scripts, so every
 * command the service lets through is checked in order, and every binding call is logged.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CardMemo } from '../../../native-host/card/card-memo';
import type { CardSession } from '../../../native-host/card/card-session';
import { toHex } from '../../../native-host/card/hex';
import { NhiCard } from '../../../native-host/card/nhi-card';
import { createPcscReaderService, DEFAULT_EXCHANGE_TIMEOUT_MS } from '../../../native-host/pcsc/pcsc-reader-service';
import { pcscCallError, PcscStatus } from '../../../native-host/pcsc/pcsc-error';
import type { ReaderEvent, ReaderService } from '../../../native-host/pcsc/reader-service';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { expectNhiCardRejection } from '../card/nhi-card-error-expectations';
import { ScriptedBinding, type FakeCard, type ScriptedReader } from '../fakes/scripted-binding';
import type { ScriptStep } from '../fakes/scripted-session';

const SELECT = '00 A4 04 00 10 D1 58 00 00 01 00 00 00 00 00 00 00 00 00 11 00';
const READ_CARD_ID = '00 CA 00 00 02 00 00 00';
const CARD_ID = '00 00 00 00 00 00 00 00 00 00 00 07';
const NHI_ATR = '3B BE 11 00 00 41 01 38';
const OTHER_ATR = '3B 8F 80 01';

/** One "read the card id" command: SELECT, then READ CARD ID. */
const READ_STEPS: readonly ScriptStep[] = [
  { expect: SELECT, reply: '90 00' },
  { expect: READ_CARD_ID, reply: `${CARD_ID} 90 00` },
];

/** An NHI card that serves `reads` card-id reads, and nothing else. */
function nhiCard(reads = 1): FakeCard {
  return { atr: NHI_ATR, script: Array.from({ length: reads }, () => READ_STEPS).flat() };
}

/** A card without the NHI applet: it refuses the SELECT once. */
const otherCard: FakeCard = { atr: OTHER_ATR, script: [{ expect: SELECT, reply: '6A 82' }] };

/** What the host's card commands do: select the applet, then read. */
async function readCardId(session: CardSession): Promise<string> {
  const card = new NhiCard(session);
  await card.select();
  return toHex(await card.readCardId());
}

let binding: ScriptedBinding;
let service: ReaderService | undefined;

function start(options: { exchangeTimeoutMs?: number } = {}): ReaderService {
  service = createPcscReaderService({ ...options, binding });
  return service;
}

/** The binding calls made since `from`, without the APDU bytes of transmits. */
function callsSince(from: number): string[] {
  return binding.calls.slice(from).map((call) => (call.startsWith('transmit ') ? call.split(' ').slice(0, 3).join(' ') : call));
}


/** A withCard callback that notes each memo it is given, leaves a value in it, and reads the card id. */
function rememberingUse(memos: CardMemo[]) {
  return async (session: CardSession, _reader: string, memo: CardMemo) => {
    memos.push(memo);
    await memo.remember('hcTerminationFlag', () => Promise.resolve('Y'));
    return readCardId(session);
  };
}
describe('PcscReaderService over a scripted binding', () => {
  afterEach(async () => {
    await service?.close();
    service = undefined;
    vi.useRealTimers();
    binding.assertClean();
  });

  describe('listReaders', () => {
    it('reports the readers and their cards once the first enumeration is in', async () => {
      binding = new ScriptedBinding();
      binding.plug('Reader A', nhiCard());
      binding.plug('Reader B');
      expect(await start().listReaders()).toEqual([
        { name: 'Reader A', cardPresent: true, atr: NHI_ATR.replaceAll(' ', '') },
        { name: 'Reader B', cardPresent: false },
      ]);
    });

    it('reports no readers when the first enumeration is empty', async () => {
      binding = new ScriptedBinding();
      expect(await start().listReaders()).toEqual([]);
    });

    it('follows insertions and removals, and tells subscribers in order', async () => {
      binding = new ScriptedBinding();
      const reader = binding.plug('Reader A');
      const readers = start();
      const events: ReaderEvent[] = [];
      readers.onEvent((event) => events.push(event));
      await readers.listReaders();
      reader.insert(nhiCard());
      expect(await readers.listReaders()).toEqual([{ name: 'Reader A', cardPresent: true, atr: NHI_ATR.replaceAll(' ', '') }]);
      reader.remove();
      expect(await readers.listReaders()).toEqual([{ name: 'Reader A', cardPresent: false }]);
      expect(events).toEqual([
        { type: 'reader-added', reader: 'Reader A' },
        { type: 'card-inserted', reader: 'Reader A' },
        { type: 'card-removed', reader: 'Reader A' },
      ]);
    });
  });

  describe('withCard', () => {
    it('uses the reader that holds the card, connected in shared mode for T=0 or T=1', async () => {
      binding = new ScriptedBinding();
      binding.plug('Reader A');
      const reader = binding.plug('Reader B', nhiCard());
      let usedReader = '';
      const id = await start().withCard((session, name) => {
        usedReader = name;
        return readCardId(session);
      });
      expect(id).toBe(CARD_ID);
      expect(usedReader).toBe('Reader B');
      // The binding refuses any other share mode or protocol, so the connect below was SHARED, T0|T1.
      expect(callsSince(0)).toEqual(['open context', 'connect Reader B', 'transmit Reader B', 'transmit Reader B']);
      reader.card?.assertDone();
    });

    it('keeps the connection and the memo for the next command while the card stays in', async () => {
      binding = new ScriptedBinding();
      const reader = binding.plug('Reader A', nhiCard(2));
      const readers = start();
      const memos: CardMemo[] = [];
      const use = rememberingUse(memos);
      await readers.withCard(use);
      await readers.withCard(use);
      expect(memos[1]).toBe(memos[0]);
      expect(memos[1]?.peek('hcTerminationFlag')).toBe('Y');
      expect(callsSince(0).filter((call) => !call.startsWith('transmit'))).toEqual(['open context', 'connect Reader A']);
      reader.card?.assertDone();
    });

    it.each([
      ['the card is removed and inserted again', (reader: ScriptedReader) => {
        reader.remove();
        reader.insert(nhiCard());
      }],
      ['another card is swapped in between two status reports', (reader: ScriptedReader) => {
        reader.swap(nhiCard());
      }],
    ])('disconnects and forgets the memo when %s', async (_name, change) => {
      binding = new ScriptedBinding();
      const reader = binding.plug('Reader A', nhiCard());
      const readers = start();
      const memos: CardMemo[] = [];
      const use = rememberingUse(memos);
      await readers.withCard(use);
      const mark = binding.calls.length;
      change(reader);
      await binding.idle();
      expect(callsSince(mark)).toEqual(['disconnect Reader A']);
      expect(memos[0]?.peek('hcTerminationFlag')).toBeUndefined();

      expect(await readers.withCard(use)).toBe(CARD_ID);
      expect(memos[1]).not.toBe(memos[0]);
      expect(callsSince(mark)).toEqual(['disconnect Reader A', 'connect Reader A', 'transmit Reader A', 'transmit Reader A']);
      reader.card?.assertDone();
    });

    it('disconnects when the reader is unplugged, and then reports no reader', async () => {
      binding = new ScriptedBinding();
      binding.plug('Reader A', nhiCard());
      const readers = start();
      await readers.withCard(readCardId);
      const mark = binding.calls.length;
      binding.unplug('Reader A');
      await binding.idle();
      expect(callsSince(mark)).toEqual(['disconnect Reader A']);
      await expectNhiCardRejection(readers.withCard(readCardId), ErrorCode.NoReader);
    });

    it('tries the next reader when a card is not an NHI card, and prefers the reader that answered', async () => {
      binding = new ScriptedBinding();
      const other = binding.plug('Reader A', otherCard);
      const nhi = binding.plug('Reader B', nhiCard(2));
      const readers = start();
      const used: string[] = [];
      const use = (session: CardSession, reader: string) => {
        used.push(reader);
        return readCardId(session);
      };
      expect(await readers.withCard(use)).toBe(CARD_ID);
      // Reader A's script has one step: trying it again would break it.
      expect(await readers.withCard(use)).toBe(CARD_ID);
      expect(used).toEqual(['Reader A', 'Reader B', 'Reader B']);
      other.card?.assertDone();
      nhi.card?.assertDone();
    });

    it('reports NOT_NHI_CARD when no card answers the NHI SELECT', async () => {
      binding = new ScriptedBinding();
      binding.plug('Reader A', otherCard);
      binding.plug('Reader B', otherCard);
      await expectNhiCardRejection(start().withCard(readCardId), ErrorCode.NotNhiCard);
    });

    it('never interleaves the APDUs of two concurrent calls', async () => {
      binding = new ScriptedBinding();
      const reader = binding.plug('Reader A', nhiCard(2));
      const readers = start();
      const order: string[] = [];
      const use = (label: string) => async (session: CardSession) => {
        order.push(`${label} starts`);
        const id = await readCardId(session);
        order.push(`${label} ends`);
        return id;
      };
      expect(await Promise.all([readers.withCard(use('first')), readers.withCard(use('second'))])).toEqual([CARD_ID, CARD_ID]);
      expect(order).toEqual(['first starts', 'first ends', 'second starts', 'second ends']);
      reader.card?.assertDone();
    });
  });

  describe('the reader option and missing readers or cards', () => {
    it('uses only the named reader', async () => {
      binding = new ScriptedBinding();
      binding.plug('Reader A', otherCard);
      const named = binding.plug('Reader B', nhiCard());
      let usedReader = '';
      await start().withCard(
        (session, reader) => {
          usedReader = reader;
          return readCardId(session);
        },
        { reader: 'Reader B' },
      );
      expect(usedReader).toBe('Reader B');
      named.card?.assertDone();
    });

    it.each([
      ['an unknown reader is named', ['Reader A'], 'Reader Z', ErrorCode.ReaderNotFound],
      ['the named reader is empty', ['Reader A', 'Reader B'], 'Reader B', ErrorCode.NoCard],
      ['no reader is connected', [], undefined, ErrorCode.NoReader],
      ['no reader holds a card', ['Reader B'], undefined, ErrorCode.NoCard],
    ])('fails when %s', async (_name, plugged, reader, code) => {
      binding = new ScriptedBinding();
      // Reader A holds a card (which the service must not touch); any other reader is empty.
      for (const name of plugged) binding.plug(name, name === 'Reader A' ? nhiCard() : undefined);
      const mark = binding.calls.length;
      await expectNhiCardRejection(start().withCard(readCardId, { reader }), code);
      expect(callsSince(mark)).toEqual(['open context']);
    });
  });

  describe('a card that fails', () => {
    it('reports CARD_TIMEOUT when the card never answers, fails fast until it is removed, and works once it is back', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      binding = new ScriptedBinding();
      const reader = binding.plug('Reader A', { atr: NHI_ATR, script: [{ expect: SELECT, noAnswer: true }] });
      const readers = start();
      const first = expectNhiCardRejection(readers.withCard(readCardId), ErrorCode.CardTimeout);
      await binding.idle();
      expect(reader.exchanging).toBe(true);
      await vi.advanceTimersByTimeAsync(DEFAULT_EXCHANGE_TIMEOUT_MS);
      await first;

      // The reader is still blocked by the exchange: no new connect or APDU reaches it.
      const mark = binding.calls.length;
      await expectNhiCardRejection(readers.withCard(readCardId), ErrorCode.CardTimeout);
      expect(callsSince(mark)).toEqual([]);

      reader.remove();
      await binding.idle();
      // The disconnect waited for the abandoned exchange to end.
      expect(callsSince(mark)).toEqual(['disconnect Reader A']);
      reader.insert(nhiCard());
      expect(await readers.withCard(readCardId)).toBe(CARD_ID);
      reader.card?.assertDone();
    });

    it.each([
      ['answers with nothing (pulled mid-read)', { expect: SELECT, reply: '' }],
      ['fails the exchange', { expect: SELECT, reject: pcscCallError('SCardTransmit', PcscStatus.resetCard) }],
    ] satisfies [string, ScriptStep][])('reports CARD_REMOVED when the card %s, and the next call connects again', async (_name, failing) => {
      binding = new ScriptedBinding();
      const reader = binding.plug('Reader A', { atr: NHI_ATR, script: [failing, ...READ_STEPS] });
      const readers = start();
      await expectNhiCardRejection(readers.withCard(readCardId), ErrorCode.CardRemoved);
      await binding.idle();
      // The lost connection is released at once, not when the next command comes.
      expect(binding.calls.at(-1)).toBe('disconnect Reader A');
      expect(await readers.withCard(readCardId)).toBe(CARD_ID);
      expect(callsSince(0)).toEqual([
        'open context',
        'connect Reader A',
        'transmit Reader A',
        'disconnect Reader A',
        'connect Reader A',
        'transmit Reader A',
        'transmit Reader A',
      ]);
      reader.card?.assertDone();
    });
    it('reports CARD_REMOVED when the card is pulled while a command waits between two APDUs', async () => {
      binding = new ScriptedBinding();
      const reader = binding.plug('Reader A', nhiCard());
      const readers = start();
      // As EnCrypt does: a first APDU, a wait for the SAM service, then the next APDU.
      const pulledDuringWait = readers.withCard(async (session) => {
        const card = new NhiCard(session);
        await card.select();
        reader.remove();
        await binding.idle();
        return card.readCardId();
      });
      await expectNhiCardRejection(pulledDuringWait, ErrorCode.CardRemoved);
      expect(callsSince(0)).toEqual(['open context', 'connect Reader A', 'transmit Reader A', 'disconnect Reader A']);
    });
  });

  describe('close', () => {
    it('disconnects the cards, closes the readers and the context, and refuses later calls', async () => {
      binding = new ScriptedBinding();
      binding.plug('Reader A', nhiCard());
      const readers = start();
      await readers.withCard(readCardId);
      const mark = binding.calls.length;
      await readers.close();
      expect(callsSince(mark)).toEqual(['disconnect Reader A', 'close Reader A', 'close context']);
      expect(binding.contextOpen).toBe(false);
      await expectNhiCardRejection(readers.withCard(readCardId), ErrorCode.PcscUnavailable);
      service = undefined;
    });

    it('does not wait for a card that never answers', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      binding = new ScriptedBinding();
      binding.plug('Reader A', { atr: NHI_ATR, script: [{ expect: SELECT, noAnswer: true }] });
      const readers = start();
      const hung = expectNhiCardRejection(readers.withCard(readCardId), ErrorCode.CardTimeout);
      await binding.idle();
      await vi.advanceTimersByTimeAsync(DEFAULT_EXCHANGE_TIMEOUT_MS);
      await hung;
      await readers.close();
      expect(binding.contextOpen).toBe(false);
      service = undefined;
    });

    it('rejects the calls still waiting when it was called, without touching the card', async () => {
      binding = new ScriptedBinding();
      binding.plug('Reader A', nhiCard());
      const readers = start();
      const waiting = [readers.withCard(readCardId), readers.withCard(readCardId)];
      const closing = readers.close();
      for (const call of waiting) await expectNhiCardRejection(call, ErrorCode.PcscUnavailable);
      expect(binding.calls.filter((call) => call.startsWith('connect'))).toEqual([]);
      await closing;
      service = undefined;
    });
  });
});
