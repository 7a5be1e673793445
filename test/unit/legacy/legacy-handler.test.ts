import { createDecipheriv } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardSession } from '../../../native-host/card/card-session';
import { DEFAULT_LEGACY_VERSION, handleLegacyLine, type LegacyContext } from '../../../native-host/legacy/legacy-handler';
import { SamService } from '../../../native-host/legacy/sam-service';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { cardAuthAnswer } from '../../sim/card-auth';
import { startSamSimulator, type SamSimulator, type SamSimulatorOptions } from '../../sim/sam/sam-simulator';
import { ScriptedSession, type ScriptStep } from '../fakes/scripted-session';
import { basicScript, DEMO_CARD_ID, DEMO_CSV, demoBasicRecordHex, DEMO_NAME_BIG5, step } from './demo-card-script';
import { FakeReaderService, type FakeReaders } from './fake-reader-service';

/** 15 January 2024, mid-morning local time. */
const JAN_15 = new Date(2024, 0, 15, 10, 30);
/** A closed port: nothing listens there, so an accidental SAM call fails fast. */
const NO_SAM = { host: '127.0.0.1', port: 1, connectTimeoutMs: 500, readTimeoutMs: 500 };

function contextFor(readers: FakeReaders, overrides: Partial<LegacyContext> = {}): { context: LegacyContext; service: FakeReaderService } {
  const service = new FakeReaderService(readers);
  return { service, context: { readers: service, sam: new SamService({ endpoint: NO_SAM }), version: DEFAULT_LEGACY_VERSION, now: () => JAN_15, ...overrides } };
}

/** Runs `line` against one scripted card and checks every scripted APDU was played. */
async function replyWithScript(line: string, steps: ScriptStep[], overrides: Partial<LegacyContext> = {}): Promise<string> {
  const session = new ScriptedSession(steps);
  const reply = await handleLegacyLine(line, contextFor([session], overrides).context);
  session.assertDone();
  return reply;
}

const removed = (): NhiCardError => new NhiCardError(ErrorCode.CardRemoved, 'the card was removed');

const b64 = (text: string): string => Buffer.from(text, 'latin1').toString('base64');
/** `H_SignIPAndPort` naming `host`:`port`, with a valid Random. */
const signIpAndPortLine = (host: string, port: number): string =>
  `H_SignIPAndPort?Random=${b64('00111234567890123456')}&IP=${b64(host)}&PORT=${b64(String(port))}`;

describe('GetVersion', () => {
  it('answers 0011 by default, the 2024 build', async () => {
    const { context, service } = contextFor([]);
    expect(await handleLegacyLine('GetVersion', context)).toBe('GetVersion:0011');
    expect(service.withCardCalls).toBe(0);
  });

  it('answers the configured version', async () => {
    expect(await handleLegacyLine('GetVersion', contextFor([], { version: '0001' }).context)).toBe('GetVersion:0001');
  });
});

describe('GetBasic', () => {
  it('answers the CSV with the termination flag and without the issue date', async () => {
    expect(await replyWithScript('GetBasic', basicScript())).toBe(`GetBasic:${DEMO_CSV}`);
  });

  it('answers the same CSV for a space-padded name', async () => {
    expect(await replyWithScript('GetBasic', [step.select(), step.readBasic(demoBasicRecordHex(0x20) + '9000'), step.readHc()])).toBe(`GetBasic:${DEMO_CSV}`);
  });

  it('skips a reader whose card is not an NHI card', async () => {
    const other = new ScriptedSession([step.select('6A82')]);
    const nhi = new ScriptedSession(basicScript());
    expect(await handleLegacyLine('GetBasic', contextFor([other, nhi]).context)).toBe(`GetBasic:${DEMO_CSV}`);
    other.assertDone();
    nhi.assertDone();
  });

  it('serializes back-to-back commands on one card', async () => {
    const session = new ScriptedSession([...basicScript(), step.select(), step.readCardId()]);
    const { context } = contextFor([session]);
    const replies = await Promise.all([handleLegacyLine('GetBasic', context), handleLegacyLine('EnCrypt?Pwd=abc123', context)]);
    expect(replies).toEqual([`GetBasic:${DEMO_CSV}`, expect.stringMatching(/^EnCrypt:[0-9A-F]{32}$/u)]);
    session.assertDone();
  });

  it('answers again from what this insertion of the card already gave, without APDUs', async () => {
    // The script holds one read: a second APDU sequence would fail the strict session.
    const session = new ScriptedSession(basicScript());
    const { context } = contextFor([session]);
    expect(await handleLegacyLine('GetBasic', context)).toBe(`GetBasic:${DEMO_CSV}`);
    expect(await handleLegacyLine('GetBasic', context)).toBe(`GetBasic:${DEMO_CSV}`);
    expect(await handleLegacyLine('SecureGetBasicWithParam?Pwd=whatever', context)).toMatch(/^SecureGetBasicWithParam:[0-9A-F]{96}$/u);
    session.assertDone();
  });

  it('reads the card again once it was re-inserted', async () => {
    const session = new ScriptedSession([...basicScript(), ...basicScript()]);
    const { context, service } = contextFor([session]);
    expect(await handleLegacyLine('GetBasic', context)).toBe(`GetBasic:${DEMO_CSV}`);
    service.reinsert(0);
    expect(await handleLegacyLine('GetBasic', context)).toBe(`GetBasic:${DEMO_CSV}`);
    session.assertDone();
  });

  it('keeps the record but asks again for a termination flag the card failed to give', async () => {
    const session = new ScriptedSession([step.select(), step.readBasic(), step.readHc('6982'), step.select(), step.readHc()]);
    const { context } = contextFor([session]);
    expect(await handleLegacyLine('GetBasic', context)).toBe('8010');
    expect(await handleLegacyLine('GetBasic', context)).toBe(`GetBasic:${DEMO_CSV}`);
    session.assertDone();
  });
});

describe('GetRandom', () => {
  it('answers 16 decimal digits without touching the card', async () => {
    const { context, service } = contextFor([]);
    expect(await handleLegacyLine('GetRandom', context)).toMatch(/^GetRandom:\d{16}$/u);
    expect(service.withCardCalls).toBe(0);
  });
});

/** Reverses the outer layers of an EnCrypt reply: 3DES with LKEY1, then drop every 8th byte. */
function peelEnCrypt(reply: string): Buffer {
  const lkey1 = Buffer.from('323732353236383634313831353635323437323737363536', 'hex');
  const decipher = createDecipheriv('des-ede3', lkey1, null).setAutoPadding(false);
  const chunked = Buffer.concat([decipher.update(Buffer.from(reply, 'hex')), decipher.final()]);
  return Buffer.concat(Array.from({ length: chunked.length / 8 }, (_, block) => chunked.subarray(block * 8, block * 8 + 7)));
}

describe('EnCrypt', () => {
  // Inner values 3DES_k(pad("abc123")) derived with the openssl CLI from the published description
  // (k = SHA1("000012345678" + date) || 27 06 58 66); see encryption-known-answers.test.ts.
  it.each([
    { date: JAN_15, inner: 'F283A1555F9E8F16' },
    { date: new Date(2024, 0, 16, 0, 0, 1), inner: 'DAE23C76D52A66C3' },
  ])('answers the obfuscated password for the local date $date', async ({ date, inner }) => {
    const reply = await replyWithScript('EnCrypt?Pwd=abc123', [step.select(), step.readCardId()], { now: () => date });
    expect(reply).toMatch(/^EnCrypt:[0-9A-F]{32}$/u);
    const peeled = peelEnCrypt(reply.slice('EnCrypt:'.length));
    expect(peeled.subarray(0, 8).toString('hex').toUpperCase()).toBe(inner);
    expect(peeled.subarray(8)).toEqual(Buffer.alloc(6));
  });

  it.each(['abc12', 'abcdefghijklm', '', 'abc\u00e9123'])('answers 8009 for the password %j without reading the card', async (pwd) => {
    const { context, service } = contextFor([]);
    expect(await handleLegacyLine(`EnCrypt?Pwd=${pwd}`, context)).toBe('8009');
    expect(service.withCardCalls).toBe(0);
  });

  it('answers 8001 when the card will not give its id', async () => {
    expect(await replyWithScript('EnCrypt?Pwd=abc123', [step.select(), step.readCardId('6982')])).toBe('8001');
  });
});

describe('SecureGetBasicWithParam', () => {
  it('answers the CSV in Big5, chunked and DES-encrypted with the local date MMDDYYYY', async () => {
    const reply = await replyWithScript('SecureGetBasicWithParam?Pwd=whatever', basicScript());
    expect(reply).toMatch(/^SecureGetBasicWithParam:[0-9A-F]{96}$/u);
    const key = Buffer.from('01152024'.repeat(3), 'latin1');
    const decipher = createDecipheriv('des-ede3', key, null).setAutoPadding(false);
    const chunked = Buffer.concat([decipher.update(Buffer.from(reply.slice(reply.indexOf(':') + 1), 'hex')), decipher.final()]);
    const blob = Buffer.concat(Array.from({ length: chunked.length / 8 }, (_, block) => chunked.subarray(block * 8, block * 8 + 7)));
    const expected = Buffer.concat([
      Buffer.from('000012345678,A123456789,', 'latin1'),
      Buffer.from(DEMO_NAME_BIG5, 'hex'),
      Buffer.from(',0800101,M,0', 'latin1'),
    ]);
    expect(blob).toEqual(expected);
  });
});

describe('H_Sign', () => {
  let simulator: SamSimulator | undefined;
  afterEach(async () => {
    await simulator?.close();
    simulator = undefined;
  });
  const challenge = Uint8Array.from({ length: 32 }, (_, index) => index * 7);
  const cardId = new TextEncoder().encode(DEMO_CARD_ID);
  const signScript = (): ScriptStep[] => [
    step.select(),
    step.readCardId(),
    step.getChallenge(),
    step.mutualAuth(challenge, cardAuthAnswer(cardId, challenge)),
  ];

  async function samContext(options: SamSimulatorOptions = {}): Promise<Partial<LegacyContext>> {
    simulator = await startSamSimulator({ fixedChallenge: challenge, ...options });
    return { sam: new SamService({ endpoint: { host: simulator.host, port: simulator.port, connectTimeoutMs: 1_000, readTimeoutMs: 500 } }) };
  }

  it('answers the SAM signature over version + random', async () => {
    const reply = await replyWithScript('H_Sign?Random=00111234567890123456', signScript(), await samContext());
    expect(reply).toMatch(/^H_Sign:[0-9A-F]{256}$/u);
    expect(simulator?.verifySignature({ cardId, random: '00111234567890123456', signature: reply.slice('H_Sign:'.length) })).toBe(true);
  });

  it('answers H_SignIPAndPort against a page-chosen server the host allows', async () => {
    await samContext();
    const line = signIpAndPortLine(simulator?.host ?? '', simulator?.port ?? 0);
    // The configured endpoint is unreachable: only the page's IP and PORT lead to the simulator.
    const sam = new SamService({ endpoint: NO_SAM, alsoAllowed: [{ host: simulator?.host ?? '', port: simulator?.port ?? 0 }] });
    const reply = await replyWithScript(line, signScript(), { sam });
    expect(reply).toMatch(/^H_SignIPAndPort:[0-9A-F]{256}$/u);
  });

  it('answers 4061 when the SAM service cannot be reached, without touching the card', async () => {
    const { context, service } = contextFor([new ScriptedSession([])]);
    expect(await handleLegacyLine('H_Sign?Random=00111234567890123456', context)).toBe('4061');
    expect(service.withCardCalls).toBe(0);
  });

  it.each([
    { name: 'the card id', steps: [step.select(), step.readCardId('6A82')], code: '8001' },
    { name: 'the card challenge', steps: [step.select(), step.readCardId(), step.getChallenge('6985')], code: '8002' },
    {
      name: 'mutual authentication',
      steps: [step.select(), step.readCardId(), step.getChallenge(), step.mutualAuth(challenge, '6300')],
      code: '8006',
    },
    { name: 'a removed card', steps: [step.select(), step.reject(step.readCardId(), removed())], code: '8013' },
  ])('answers $code when $name fails', async ({ steps, code }) => {
    expect(await replyWithScript('H_Sign?Random=00111234567890123456', steps, await samContext())).toBe(code);
  });

  it('answers 8006 when the SAM service refuses the card', async () => {
    const steps = [step.select(), step.readCardId(), step.getChallenge(), step.mutualAuth(challenge, new Uint8Array(16))];
    expect(await replyWithScript('H_Sign?Random=00111234567890123456', steps, await samContext())).toBe('8006');
  });

  it('answers 9999 for a malformed Random without contacting anyone', async () => {
    const { context, service } = contextFor([]);
    expect(await handleLegacyLine('H_Sign?Random=0011123', context)).toBe('9999');
    expect(service.withCardCalls).toBe(0);
  });
});

describe('error codes', () => {
  it.each([
    { name: 'PC/SC is unavailable', code: ErrorCode.PcscUnavailable, reply: '7001' },
    { name: 'there is no reader', code: ErrorCode.NoReader, reply: '7002' },
    { name: 'the named reader is missing', code: ErrorCode.ReaderNotFound, reply: '7003' },
    { name: 'the reader is busy', code: ErrorCode.ReaderBusy, reply: '7003' },
    { name: 'no reader holds a card', code: ErrorCode.NoCard, reply: '7004' },
  ])('answers $reply when $name', async ({ code, reply }) => {
    expect(await handleLegacyLine('GetBasic', contextFor(new NhiCardError(code, 'reader failure')).context)).toBe(reply);
  });

  it('answers 7004 when no card answers the NHI SELECT', async () => {
    expect(await replyWithScript('GetBasic', [step.select('6A82')])).toBe('7004');
  });

  const basicRead = step.readBasic();
  const hcRead = step.readHc();
  it.each<{ name: string; steps: ScriptStep[]; reply: string }>([
    { name: 'the card refuses the basic data', steps: [step.select(), step.readBasic('6A82')], reply: '8011' },
    { name: 'the basic data is short', steps: [step.select(), step.readBasic('3030309000')], reply: '8011' },
    { name: 'the basic data read fails oddly', steps: [step.select(), step.reject(basicRead, new Error('driver bug'))], reply: '8011' },
    { name: 'the card refuses the HC data', steps: [step.select(), step.readBasic(), step.readHc('6A82')], reply: '8010' },
    { name: 'the termination flag is not ASCII', steps: [step.select(), step.readBasic(), step.readHc('009000')], reply: '8010' },
    { name: 'the card is removed during SELECT', steps: [step.reject(step.select(), removed())], reply: '8013' },
    { name: 'the card is removed during the basic read', steps: [step.select(), step.reject(basicRead, removed())], reply: '8013' },
    {
      name: 'the card times out',
      steps: [step.select(), step.readBasic(), step.reject(hcRead, new NhiCardError(ErrorCode.CardTimeout, 'timeout'))],
      reply: '8013',
    },
    { name: 'PC/SC fails mid-exchange', steps: [step.select(), step.reject(basicRead, new NhiCardError(ErrorCode.PcscError, 'x'))], reply: '8013' },
    { name: 'the card answers nothing at all', steps: [step.select(), step.readBasic('')], reply: '8013' },
  ])('answers $reply to GetBasic when $name', async ({ steps, reply }) => {
    expect(await replyWithScript('GetBasic', steps)).toBe(reply);
  });

  const refused = ['', 'Foo', 'getbasic', 'GetBasic ', 'GetBasic?x=1', 'GetVersion?', 'EnCrypt', 'EnCrypt?pwd=abc123', 'SecureGetBasicWithParam', 'H_Sign'];
  it.each([...refused.map((line) => ({ label: JSON.stringify(line), line })), { label: 'a 5,000-character line', line: `GetBasic${'x'.repeat(5000)}` }])(
    'answers 9999 to $label without touching the card',
    async ({ line }) => {
      const session: CardSession = new ScriptedSession([]);
      const { context, service } = contextFor([session]);
      expect(await handleLegacyLine(line, context)).toBe('9999');
      expect(service.withCardCalls).toBe(0);
    },
  );
});
