import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURE_PROFILE_NAMES, fixtureProfile } from '../../fixtures/profiles.js';
import { cardAuthAnswer } from '../../sim/card-auth.js';
import { fromHex, toHex } from '../../sim/virtual-card/command-apdu.js';
import { HEALTH_PROFESSIONAL_ATR, NHI_ATR, NhiCardBehaviour } from '../../sim/virtual-card/nhi-card.js';
import { encodeBasicRecord, parseCardProfile } from '../../sim/virtual-card/profile.js';
import { VirtualCard } from '../../sim/virtual-card/virtual-card.js';
import { encodeVpcdFrame, VpcdFrameDecoder } from '../../sim/virtual-card/vpcd-codec.js';

const SELECT = '00A4040010D1580000010000000000000000001100';
const READ_BASIC = '00CA1100020000';
const READ_BASIC_LE = '00CA110002000000';
const READ_HC = '00CA240002000000';
const READ_CARD_ID = '00CA000002000000';
const GET_CHALLENGE = '0084000008';
const demo = fixtureProfile('demo');

function card(options: ConstructorParameters<typeof NhiCardBehaviour>[1] = {}): NhiCardBehaviour {
  return new NhiCardBehaviour(demo, options);
}

function send(target: NhiCardBehaviour, hex: string): string {
  return toHex(target.respond(fromHex(hex)));
}

function sw(response: string): string {
  return response.slice(-4);
}

describe('vpcd codec', () => {
  it('frames a payload with a big-endian length', () => {
    expect(toHex(encodeVpcdFrame(fromHex('9000')))).toBe('00029000');
    expect(encodeVpcdFrame(new Uint8Array(300)).slice(0, 2)).toEqual(Uint8Array.of(1, 44));
  });

  it('reassembles messages split across chunks and joined in one chunk', () => {
    const decoder = new VpcdFrameDecoder();
    expect(decoder.push(fromHex('00'))).toEqual([]);
    expect(decoder.push(fromHex('0104'))).toEqual([{ kind: 'control', code: 4 }]);
    const messages = decoder.push(fromHex('00050084000008000101'));
    expect(messages).toEqual([
      { kind: 'apdu', command: fromHex(GET_CHALLENGE) },
      { kind: 'control', code: 1 },
    ]);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('keeps a partial message until the rest arrives', () => {
    const decoder = new VpcdFrameDecoder();
    expect(decoder.push(fromHex('000500840000'))).toEqual([]);
    expect(decoder.pendingBytes).toBe(6);
    expect(decoder.push(fromHex('08'))).toEqual([{ kind: 'apdu', command: fromHex(GET_CHALLENGE) }]);
  });
});

describe('card profiles', () => {
  it.each(FIXTURE_PROFILE_NAMES)('fixture %s is valid and encodes to 57 bytes', (name) => {
    expect(encodeBasicRecord(fixtureProfile(name))).toHaveLength(57);
  });

  it('lays out the demo record field by field', () => {
    const record = encodeBasicRecord(demo);
    const ascii = (from: number, to: number): string => Buffer.from(record.slice(from, to)).toString('latin1');
    expect(ascii(0, 12)).toBe('000012345678');
    expect(iconv.decode(record.slice(12, 32), 'big5hkscs').replace(/\0+$/, '')).toBe('陳小明');
    expect(record.slice(18, 32).every((byte) => byte === 0)).toBe(true);
    expect(ascii(32, 42)).toBe('A123456789');
    expect(ascii(42, 49)).toBe('0800101');
    expect(ascii(49, 50)).toBe('M');
    expect(ascii(50, 57)).toBe('1100315');
  });

  it('pads a space-padded name with spaces', () => {
    const record = encodeBasicRecord(fixtureProfile('space-padded'));
    expect(record.slice(18, 32).every((byte) => byte === 0x20)).toBe(true);
  });

  it('fills all 20 name bytes for a long foreign name', () => {
    const record = encodeBasicRecord(fixtureProfile('long-foreign-name'));
    expect(Buffer.from(record.slice(12, 32)).toString('latin1')).toBe('WILLIAMSON ALEXANDRA');
  });

  it('encodes ETEN extension characters (碁 F9D6, 恒 F9DA)', () => {
    const record = encodeBasicRecord(fixtureProfile('eten-name'));
    expect(toHex(record.slice(12, 18))).toBe('AA4CF9D6F9DA');
    expect(new TextDecoder('big5').decode(record.slice(14, 18))).toBe('碁恒');
  });

  it('rejects a name longer than 20 Big5 bytes and unknown fields', () => {
    expect(() => parseCardProfile({ ...demo, name: '陳'.repeat(11) })).toThrow(/20/);
    expect(() => parseCardProfile({ ...demo, nickname: 'x' })).toThrow();
    expect(() => parseCardProfile({ ...demo, birthRoc: '800101' })).toThrow(/ROC/);
  });
});

describe('NHI card behaviour (T=1)', () => {
  it('selects the NHI applet and reads the basic record with and without Le', () => {
    const target = card();
    expect(send(target, SELECT)).toBe('9000');
    const expected = toHex(encodeBasicRecord(demo)) + '9000';
    expect(send(target, READ_BASIC)).toBe(expected);
    expect(send(target, READ_BASIC_LE)).toBe(expected);
  });

  it('answers HC data with the termination flag first', () => {
    const target = card();
    send(target, SELECT);
    const response = fromHex(send(target, READ_HC));
    expect(String.fromCharCode(response[0] ?? 0)).toBe('0');
    expect(toHex(response.slice(-2))).toBe('9000');
  });

  it('answers the 12-byte card id', () => {
    const target = card();
    send(target, SELECT);
    expect(send(target, READ_CARD_ID)).toBe(toHex(new TextEncoder().encode(demo.cardId)) + '9000');
  });

  it('answers GET CHALLENGE with 8 fresh random bytes', () => {
    const target = card();
    send(target, SELECT);
    const first = send(target, GET_CHALLENGE);
    const second = send(target, GET_CHALLENGE);
    expect(first).toMatch(/^[0-9A-F]{16}9000$/);
    expect(first).not.toBe(second);
  });

  it('answers MUTUAL AUTHENTICATE with cardAuthAnswer(cardId, challenge)', () => {
    const target = card();
    send(target, SELECT);
    const challenge = Uint8Array.from({ length: 32 }, (_unused, index) => index);
    const response = send(target, `0082111220${toHex(challenge)}10`);
    const expected = cardAuthAnswer(new TextEncoder().encode(demo.cardId), challenge);
    expect(response).toBe(toHex(expected) + '9000');
  });

  it('pins cardAuthAnswer to HMAC-SHA256 with the test key (vector from openssl dgst -hmac)', () => {
    const answer = cardAuthAnswer(new TextEncoder().encode('000012345678'), new Uint8Array(32));
    expect(toHex(answer)).toBe('997CB0ACD0CE4EE3EBD760C24B77F244');
  });

  it.each([
    ['READ BASIC', READ_BASIC],
    ['READ CARD ID', READ_CARD_ID],
    ['GET CHALLENGE', GET_CHALLENGE],
  ])('refuses %s before SELECT with 6986', (_name, command) => {
    expect(send(card(), command)).toBe('6986');
  });

  it('answers 6A82 to another AID and forgets the selection', () => {
    const target = card();
    send(target, SELECT);
    expect(send(target, '00A4040010A0000000000000000000000000000000')).toBe('6A82');
    expect(send(target, READ_BASIC)).toBe('6986');
  });

  it('answers 6D00 to an unknown INS and 6700 to a malformed APDU', () => {
    const target = card();
    expect(send(target, '00B0000000')).toBe('6D00');
    expect(send(target, '00CA110005AABB')).toBe('6700');
  });

  it('answers 6C08 to GET CHALLENGE with a wrong Le', () => {
    const target = card();
    send(target, SELECT);
    expect(send(target, '0084000004')).toBe('6C08');
  });

  it('is deselected by a reset', () => {
    const target = card();
    send(target, SELECT);
    target.reset();
    expect(send(target, READ_BASIC)).toBe('6986');
  });

  it('reports the NHI ATR by default', () => {
    expect(card().atr).toEqual(NHI_ATR);
  });
});

describe('NHI card behaviour (T=0)', () => {
  it('answers READ BASIC with 6139 and serves GET RESPONSE', () => {
    const target = card({ t0: true });
    expect(send(target, SELECT)).toBe('9000');
    expect(send(target, READ_BASIC)).toBe('6139');
    expect(send(target, '00C0000039')).toBe(toHex(encodeBasicRecord(demo)) + '9000');
    expect(send(target, '00C0000039')).toBe('6985');
  });

  it('answers 6C XX to GET RESPONSE with a wrong Le, then serves the right one', () => {
    const target = card({ t0: true });
    send(target, SELECT);
    expect(send(target, READ_CARD_ID)).toBe('610C');
    expect(send(target, '00C0000020')).toBe('6C0C');
    expect(send(target, '00C000000C')).toBe(toHex(new TextEncoder().encode(demo.cardId)) + '9000');
  });

  it('serves a short GET RESPONSE and announces the rest with 61 XX', () => {
    const target = card({ t0: true });
    send(target, SELECT);
    send(target, READ_CARD_ID);
    expect(sw(send(target, '00C0000004'))).toBe('6108');
    expect(send(target, '00C0000008')).toMatch(/9000$/);
  });

  it('answers GET CHALLENGE with Le 00 by 6C08', () => {
    const target = card({ t0: true });
    send(target, SELECT);
    expect(send(target, '0084000000')).toBe('6C08');
    expect(send(target, GET_CHALLENGE)).toMatch(/^[0-9A-F]{16}9000$/);
  });

  it('answers MUTUAL AUTHENTICATE with 6110', () => {
    const target = card({ t0: true });
    send(target, SELECT);
    expect(send(target, `0082111220${'00'.repeat(32)}10`)).toBe('6110');
    expect(send(target, '00C0000010')).toHaveLength(36);
  });
});

describe('NHI card behaviour: non-NHI cards and forced status words', () => {
  it('a non-NHI card refuses the NHI SELECT and reports the health-professional ATR', () => {
    const target = card({ notNhi: true });
    expect(target.atr).toEqual(HEALTH_PROFESSIONAL_ATR);
    expect(send(target, SELECT)).toBe('6A82');
  });

  it('forces a status word by INS or by INS+P1', () => {
    const target = card({ statusWord: { CA11: 0x6982, '84': 0x6f00 } });
    expect(send(target, SELECT)).toBe('9000');
    expect(send(target, READ_BASIC)).toBe('6982');
    expect(sw(send(target, READ_CARD_ID))).toBe('9000');
    expect(send(target, GET_CHALLENGE)).toBe('6F00');
  });
});

/** A stand-in for vpcd: accepts one card and exchanges framed payloads with it. */
class FakeVpcd {
  private socket: Socket | undefined;
  private readonly decoder = new VpcdFrameDecoder();
  private readonly received: Uint8Array[] = [];
  private waiter: (() => void) | undefined;

  private constructor(readonly server: Server) {}

  static async listen(): Promise<FakeVpcd> {
    const fake = new FakeVpcd(createServer());
    fake.server.on('connection', (socket) => {
      fake.socket = socket;
      socket.on('data', (chunk: Buffer) => {
        for (const message of fake.decoder.push(chunk)) {
          fake.received.push(message.kind === 'apdu' ? message.command : Uint8Array.of(message.code));
        }
        fake.waiter?.();
      });
      socket.on('close', () => fake.waiter?.());
    });
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    return fake;
  }

  get port(): number {
    const address = this.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('not listening');
    return address.port;
  }

  /** Sends one payload (1 byte = control) and waits up to `timeoutMs` for the answer. */
  async exchange(hex: string, timeoutMs = 1000): Promise<string | undefined> {
    if (this.socket === undefined) throw new Error('no card connected');
    this.socket.write(encodeVpcdFrame(fromHex(hex)));
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0 && !this.socket.destroyed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 20);
      });
    }
    const answer = this.received.shift();
    return answer === undefined ? undefined : toHex(answer);
  }

  get cardConnected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed && this.socket.readable;
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('VirtualCard over the vpcd wire', () => {
  let vpcd: FakeVpcd | undefined;
  let inserted: VirtualCard | undefined;

  afterEach(async () => {
    await inserted?.remove();
    await vpcd?.close();
    inserted = undefined;
    vpcd = undefined;
  });

  async function insert(options: Omit<Parameters<typeof VirtualCard.insert>[1], 'profile'> = {}): Promise<[FakeVpcd, VirtualCard]> {
    vpcd = await FakeVpcd.listen();
    inserted = await VirtualCard.insert({ port: vpcd.port }, { profile: demo, ...options });
    await new Promise((resolve) => setTimeout(resolve, 20));
    return [vpcd, inserted];
  }

  it('answers GET ATR, resolves poweredUp and logs APDUs in order', async () => {
    const [fake, virtual] = await insert();
    let powered = false;
    void virtual.poweredUp.then(() => (powered = true));
    // A presence poll asks for the ATR without powering up: not yet "powered up".
    expect(await fake.exchange('04')).toBe(toHex(NHI_ATR));
    expect(powered).toBe(false);
    expect(await fake.exchange('01', 100)).toBeUndefined();
    expect(await fake.exchange('04')).toBe(toHex(NHI_ATR));
    await virtual.poweredUp;
    expect(await fake.exchange(SELECT)).toBe('9000');
    expect(sw((await fake.exchange(READ_BASIC)) ?? '')).toBe('9000');
    expect(virtual.apduLog.map((entry) => entry.command)).toEqual([SELECT, READ_BASIC]);
    const [first, second] = virtual.apduLog;
    expect(first?.answeredAt).toBeDefined();
    expect((first?.answeredAt ?? 0n) <= (second?.at ?? 0n)).toBe(true);
  });

  it('delays answers by delayMs', async () => {
    const [fake] = await insert({ delayMs: 120 });
    const started = performance.now();
    expect(await fake.exchange(SELECT)).toBe('9000');
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('stops answering after N APDUs with neverAnswer: N', async () => {
    const [fake, virtual] = await insert({ neverAnswer: 1 });
    expect(await fake.exchange(SELECT)).toBe('9000');
    expect(await fake.exchange(READ_BASIC, 300)).toBeUndefined();
    expect(virtual.apduLog[1]).toMatchObject({ command: READ_BASIC, response: undefined });
    expect(await fake.exchange('04')).toBe(toHex(NHI_ATR));
  });

  it('disconnects when APDU N+1 arrives with removeAfterApdus: N', async () => {
    const [fake, virtual] = await insert({ removeAfterApdus: 1 });
    expect(await fake.exchange(SELECT)).toBe('9000');
    expect(await fake.exchange(READ_BASIC, 1000)).toBeUndefined();
    await virtual.closed;
    expect(virtual.removed).toBe(true);
    expect(fake.cardConnected).toBe(false);
  });

  it('changes faults while inserted', async () => {
    const [fake, virtual] = await insert();
    expect(await fake.exchange(SELECT)).toBe('9000');
    virtual.setFaults({ neverAnswer: true });
    expect(await fake.exchange(READ_BASIC, 200)).toBeUndefined();
  });

  it('resets the applet on power on', async () => {
    const [fake] = await insert();
    expect(await fake.exchange(SELECT)).toBe('9000');
    expect(await fake.exchange('01', 100)).toBeUndefined();
    expect(await fake.exchange(READ_BASIC)).toBe('6986');
  });
});
