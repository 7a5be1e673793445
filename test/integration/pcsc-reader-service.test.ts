/**
 * The PC/SC adapter against the real stack: a private pcscd, vpcd readers and virtual NHI cards,
 * once per backend: the `pcsclite` addon, and the ffi backend (koffi over libpcsclite.so.1), whose
 * code is the Windows host's (winscard.dll) with Linux's type widths.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../native-host/card/hex';
import { SELECT_NHI_APPLET } from '../../native-host/card/nhi-apdus';
import { readIdentity } from '../../native-host/card/nhi-card';
import { NhiCardError } from '../../native-host/protocol/nhi-card-error';
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { bindingFor, PCSC_BACKENDS } from '../../native-host/pcsc/pcsc-backend';
import { createPcscReaderService } from '../../native-host/pcsc/pcsc-reader-service';
import type { PcscBinding } from '../../native-host/pcsc/pcsclite-binding';
import type { ReaderEvent, ReaderService } from '../../native-host/pcsc/reader-service';
import { DEMO_IDENTITY, fixtureProfile } from '../fixtures/profiles';
import { probeApdus } from '../rig/apdu-probe';
import { startRig, type CardSpec, type Rig } from '../rig/rig';
import { nextEvent, rejectionOf } from '../support/async';

let rig: Rig;
const services: ReaderService[] = [];
/** The backend under test (set by each describe.each block). */
let binding: PcscBinding;

/** A reader service with a short APDU timeout, closed after each test. */
function service(exchangeTimeoutMs = 1500): ReaderService {
  const created = createPcscReaderService({ exchangeTimeoutMs, binding, retryMinMs: 50, retryMaxMs: 200 });
  services.push(created);
  return created;
}

/** Inserts a card and waits until `readers` has seen it (PC/SC reports presence on its own poll). */
async function insertSeen(readers: ReaderService, slot: number, card: CardSpec): Promise<void> {
  const seen = nextEvent(readers, (event) => event.type === 'card-inserted' && event.reader === rig.readerNames[slot]);
  await rig.insertCard(slot, card);
  await seen;
}

/** SELECT of the NHI applet as apdu-probe takes it (hex, no spaces). */
const SELECT_HEX = toHex(SELECT_NHI_APPLET.toBytes(), '');

const readName = (readers: ReaderService, reader?: string) =>
  readers.withCard(async (session, name) => ({ record: await readIdentity(session), reader: name }), { reader });

beforeAll(async () => {
  rig = await startRig({ readers: 2 });
  // pcsc-lite's client library reads the socket name once per process.
  process.env.PCSCLITE_CSOCK_NAME = rig.env.PCSCLITE_CSOCK_NAME;
});

afterEach(async () => {
  await Promise.all(services.splice(0).map((created) => created.close()));
  if (!rig.pcscdRunning) await rig.startPcscd();
  await Promise.all(rig.readerNames.map((_name, slot) => rig.removeCard(slot)));
});

afterAll(async () => {
  await rig.close();
});

describe.each(PCSC_BACKENDS)('PC/SC reader service on the real rig (%s backend)', (backend) => {
  beforeAll(() => {
    binding = bindingFor(backend);
  });

  it('reads the demo card', async () => {
    await rig.insertCard(0, 'demo');
    const { record, reader } = await readName(service());
    expect(reader).toBe(rig.readerNames[0]);
    expect(record).toMatchObject(DEMO_IDENTITY);
  });

  it('reads a T=0 card, whose answers come through 61XX and GET RESPONSE', async () => {
    const card = await rig.insertCard(0, { profile: fixtureProfile('demo'), t0: true });
    expect((await readName(service())).record).toMatchObject(DEMO_IDENTITY);
    expect(card.apduLog.some((entry) => entry.command.startsWith('00C00000'))).toBe(true);
  });

  it('shares the card with another application, while that one holds it and while we do', async () => {
    const card = await rig.insertCard(0, 'demo');
    // Another PC/SC client (its own process) connects in shared mode and keeps the card for about 3 s.
    const other = probeApdus(rig.env, rig.readerNames[0] ?? '', [SELECT_HEX], 1, 1500);
    await expect.poll(() => card.apduLog.length, { timeout: 5000 }).toBe(1);
    const readers = service();
    expect((await readName(readers)).record).toMatchObject(DEMO_IDENTITY);
    expect((await other).responses).toEqual(['9000']);
    // Our connection stays open between commands; the other application still gets the card.
    expect((await probeApdus(rig.env, rig.readerNames[0] ?? '', [SELECT_HEX])).responses).toEqual(['9000']);
    expect((await readName(readers)).record).toMatchObject(DEMO_IDENTITY);
  });

  it('lists both readers and which one holds a card', async () => {
    await rig.insertCard(1, 'demo');
    const readers = await service().listReaders();
    expect(readers.map((reader) => [reader.name, reader.cardPresent])).toEqual([
      [rig.readerNames[0], false],
      [rig.readerNames[1], true],
    ]);
    expect(readers[1]?.atr).toMatch(/^3B[0-9A-F]+$/);
  });

  it('reports card inserted and removed events', async () => {
    const readers = service();
    await readers.listReaders();
    const events: ReaderEvent[] = [];
    readers.onEvent((event) => events.push(event));
    const inserted = nextEvent(readers, (event) => event.type === 'card-inserted');
    await rig.insertCard(1, 'demo');
    expect(await inserted).toEqual({ type: 'card-inserted', reader: rig.readerNames[1] });
    const removed = nextEvent(readers, (event) => event.type === 'card-removed');
    await rig.removeCard(1);
    expect(await removed).toEqual({ type: 'card-removed', reader: rig.readerNames[1] });
    expect(events.map((event) => event.type)).toEqual(['card-inserted', 'card-removed']);
  });

  it('chooses the reader whose card answers the NHI SELECT', async () => {
    await rig.insertCard(0, { profile: fixtureProfile('demo'), notNhi: true });
    await rig.insertCard(1, 'demo');
    const { reader } = await readName(service());
    expect(reader).toBe(rig.readerNames[1]);
  });

  it('says NOT_NHI_CARD when the only card is not an NHI card', async () => {
    await rig.insertCard(0, { profile: fixtureProfile('demo'), notNhi: true });
    const error = await rejectionOf(readName(service()));
    expect(error).toMatchObject({ code: ErrorCode.NotNhiCard });
  });

  it('honours a forced reader, and names a missing one', async () => {
    await rig.insertCard(0, 'demo');
    await rig.insertCard(1, 'new-resident');
    const readers = service();
    expect((await readName(readers, rig.readerNames[1])).record.idNumber).toBe('A800000014');
    expect(await rejectionOf(readName(readers, 'No Such Reader'))).toMatchObject({ code: ErrorCode.ReaderNotFound });
  });

  it('says NO_CARD when the readers are empty', async () => {
    expect(await rejectionOf(readName(service()))).toMatchObject({ code: ErrorCode.NoCard });
  });

  it('fails cleanly when the card is pulled mid-read, and reads it after re-insertion', async () => {
    const readers = service();
    await insertSeen(readers, 0, { profile: fixtureProfile('demo'), removeAfterApdus: 1 });
    const removed = nextEvent(readers, (event) => event.type === 'card-removed');
    const error = await rejectionOf(readName(readers));
    await removed;
    expect(error).toBeInstanceOf(NhiCardError);
    expect(error).toMatchObject({ code: ErrorCode.CardRemoved });
    await rig.removeCard(0);
    await insertSeen(readers, 0, 'demo');
    expect((await readName(readers)).record.cardNumber).toBe(DEMO_IDENTITY.cardNumber);
  });

  it('times out on a card that never answers and stays usable', async () => {
    const readers = service(400);
    await insertSeen(readers, 0, { profile: fixtureProfile('demo'), neverAnswer: true });
    const started = performance.now();
    expect(await rejectionOf(readName(readers))).toMatchObject({ code: ErrorCode.CardTimeout });
    // Generous bound: the documented timeout plus scheduling noise on a loaded CI machine.
    expect(performance.now() - started).toBeLessThan(3000);
    // The same reader fails fast while the silent card stays in; other readers still work.
    expect(await rejectionOf(readName(readers, rig.readerNames[0]))).toMatchObject({ code: ErrorCode.CardTimeout });
    await insertSeen(readers, 1, 'demo');
    expect((await readName(readers, rig.readerNames[1])).record.cardNumber).toBe(DEMO_IDENTITY.cardNumber);
    await rig.removeCard(0);
    await insertSeen(readers, 0, 'demo');
    expect((await readName(readers, rig.readerNames[0])).record.cardNumber).toBe(DEMO_IDENTITY.cardNumber);
  });

  it('recovers when pcscd is restarted under a running monitor', async () => {
    const readers = service();
    await insertSeen(readers, 0, 'demo');
    expect((await readName(readers)).reader).toBe(rig.readerNames[0]);
    const gone = nextEvent(readers, (event) => event.type === 'reader-removed');
    await rig.stopPcscd({ signal: 'SIGKILL' });
    await gone;
    // The readers vanish one by one before the context itself fails: poll until it has.
    await expect
      .poll(async () => readers.listReaders().then(() => 'still listed', (error: unknown) => (error as NhiCardError).code), { timeout: 5000 })
      .toBe(ErrorCode.PcscUnavailable);
    const back = nextEvent(readers, (event) => event.type === 'reader-added');
    await rig.startPcscd();
    await back;
    await insertSeen(readers, 0, 'demo');
    expect((await readName(readers)).record.cardNumber).toBe(DEMO_IDENTITY.cardNumber);
  });

  it('says PCSC_UNAVAILABLE at once when pcscd is not running', async () => {
    await rig.stopPcscd();
    const started = performance.now();
    expect(await rejectionOf(service().listReaders())).toMatchObject({
      code: ErrorCode.PcscUnavailable,
      message: expect.stringContaining('pcscd') as unknown,
    });
    expect(await rejectionOf(readName(service()))).toMatchObject({ code: ErrorCode.PcscUnavailable });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
