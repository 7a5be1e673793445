/**
 * The behaviour of a virtual NHI card, pure: C-APDU bytes in, R-APDU bytes out. It holds only
 * the card's own state (selected applet, pending T=0 response); transport faults such as delays
 * and removal live in the socket client.
 */
import { cardAuthAnswer } from '../card-auth.js';
import { fromHex, parseCommandApdu, type ParsedCommand } from './command-apdu.js';
import { encodeBasicRecord, encodeCardId, encodeHcData, type CardProfile } from './profile.js';

/** ATR of a common NHI card. */
export const NHI_ATR = fromHex('3B FC 18 00 00 81 31 FE 45 80 73 C8 21 13 66 02 04 03 55 00 02 D2');
/** ATR of a health professional card (醫事人員卡): not an NHI card. */
export const HEALTH_PROFESSIONAL_ATR = fromHex('3B F9 18 00 00 81 31 FE 45 50 56 5F 4A 32 44 30 38 31 B6');
/** The NHI applet identifier selected by `00 A4 04 00 10 <AID>`. */
export const NHI_AID = fromHex('D1 58 00 00 01 00 00 00 00 00 00 00 00 00 11 00');

/** Status words the virtual card answers with. */
export const Sw = {
  ok: 0x9000,
  wrongLength: 0x6700,
  securityStatus: 0x6982,
  conditionsNotSatisfied: 0x6985,
  noCurrentEf: 0x6986,
  fileNotFound: 0x6a82,
  wrongP1P2: 0x6a86,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
} as const;

/** How the card behaves beyond its profile. */
export interface NhiCardOptions {
  /** ATR to report; defaults to {@link NHI_ATR}, or {@link HEALTH_PROFESSIONAL_ATR} when `notNhi`. */
  readonly atr?: Uint8Array;
  /** Behave like a T=0 card: data comes back through `61 XX` + GET RESPONSE, a wrong Le gets `6C XX`. */
  readonly t0?: boolean;
  /** Not an NHI card: SELECT of the NHI applet fails with 6A82. */
  readonly notNhi?: boolean;
  /**
   * Forced status words, keyed by INS in hex ("CA") or INS+P1 ("CA11"; the more specific wins).
   * The card answers the bare status word, with no data, whether or not it is selected.
   */
  readonly statusWord?: Readonly<Record<string, number>>;
  /** Source of GET CHALLENGE bytes; defaults to crypto.getRandomValues. */
  readonly random?: (length: number) => Uint8Array;
}

const READ_P1 = { basic: 0x11, hcData: 0x24, cardId: 0x00 } as const;

function sw(word: number): Uint8Array {
  return Uint8Array.of(word >> 8, word & 0xff);
}

function withSw(data: Uint8Array, word: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out.set(sw(word), data.length);
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

function hexByte(value: number): string {
  return value.toString(16).padStart(2, '0').toUpperCase();
}

/** A virtual NHI card's applet logic. One instance is one card; power events reset its state. */
export class NhiCardBehaviour {
  readonly atr: Uint8Array;
  private selected = false;
  /** Data waiting for GET RESPONSE in T=0 mode. */
  private pending: Uint8Array | undefined;
  private readonly random: (length: number) => Uint8Array;

  constructor(
    readonly profile: CardProfile,
    private readonly options: NhiCardOptions = {},
  ) {
    this.atr = options.atr ?? (options.notNhi === true ? HEALTH_PROFESSIONAL_ATR : NHI_ATR);
    this.random = options.random ?? ((length) => crypto.getRandomValues(new Uint8Array(length)));
  }

  /** Whether the NHI applet is currently selected. */
  get isSelected(): boolean {
    return this.selected;
  }

  /** Power off, power on or reset: the applet is deselected and pending data dropped. */
  reset(): void {
    this.selected = false;
    this.pending = undefined;
  }

  /** Answers one command APDU with the R-APDU (data followed by SW1 SW2). */
  respond(command: Uint8Array): Uint8Array {
    const parsed = parseCommandApdu(command);
    if (parsed === undefined) return sw(Sw.wrongLength);
    const forced = this.forcedStatusWord(parsed);
    if (forced !== undefined) {
      this.pending = undefined;
      return sw(forced);
    }
    if (parsed.cla !== 0x00) return sw(Sw.claNotSupported);
    if (parsed.ins === 0xc0) return this.getResponse(parsed);
    this.pending = undefined;
    switch (parsed.ins) {
      case 0xa4:
        return this.select(parsed);
      case 0xca:
        return this.readData(parsed);
      case 0x84:
        return this.getChallenge(parsed);
      case 0x82:
        return this.mutualAuthenticate(parsed);
      default:
        return sw(Sw.insNotSupported);
    }
  }

  private forcedStatusWord(command: ParsedCommand): number | undefined {
    const table = this.options.statusWord;
    if (table === undefined) return undefined;
    return table[hexByte(command.ins) + hexByte(command.p1)] ?? table[hexByte(command.ins)];
  }

  private select(command: ParsedCommand): Uint8Array {
    this.selected = false;
    if (command.p1 !== 0x04) return sw(Sw.wrongP1P2);
    if (this.options.notNhi === true || !equalBytes(command.data, NHI_AID)) return sw(Sw.fileNotFound);
    this.selected = true;
    return sw(Sw.ok);
  }

  private readData(command: ParsedCommand): Uint8Array {
    if (!this.selected) return sw(Sw.noCurrentEf);
    if (command.data.length !== 2) return sw(Sw.wrongLength);
    switch (command.p1) {
      case READ_P1.basic:
        return this.answerWithData(encodeBasicRecord(this.profile), command);
      case READ_P1.hcData:
        return this.answerWithData(encodeHcData(this.profile), command);
      case READ_P1.cardId:
        return this.answerWithData(encodeCardId(this.profile), command);
      default:
        return sw(Sw.wrongP1P2);
    }
  }

  private getChallenge(command: ParsedCommand): Uint8Array {
    if (!this.selected) return sw(Sw.noCurrentEf);
    if (command.data.length !== 0) return sw(Sw.wrongLength);
    const challengeLength = 8;
    // A case-2 command: Le must name the length (T=0 has no "Le 00 = whatever you have").
    const le = command.le;
    const leFits = le === challengeLength || (le === 0 && this.options.t0 !== true);
    if (!leFits) return sw(0x6c00 | challengeLength);
    return withSw(this.random(challengeLength), Sw.ok);
  }

  private mutualAuthenticate(command: ParsedCommand): Uint8Array {
    if (!this.selected) return sw(Sw.noCurrentEf);
    if (command.p1 !== 0x11 || command.p2 !== 0x12) return sw(Sw.wrongP1P2);
    if (command.data.length !== 32) return sw(Sw.wrongLength);
    return this.answerWithData(cardAuthAnswer(encodeCardId(this.profile), command.data), command);
  }

  /** Case-4 style answer: direct in T=1 (Le absent, 00 or exact), through 61 XX in T=0. */
  private answerWithData(data: Uint8Array, command: ParsedCommand): Uint8Array {
    if (this.options.t0 === true) {
      this.pending = data;
      return sw(0x6100 | (data.length & 0xff));
    }
    const le = command.le;
    if (le === undefined || le === 0 || le === data.length) return withSw(data, Sw.ok);
    return sw(0x6c00 | (data.length & 0xff));
  }

  private getResponse(command: ParsedCommand): Uint8Array {
    const pending = this.pending;
    if (pending === undefined) return sw(Sw.conditionsNotSatisfied);
    const le = command.le ?? 0;
    if (le === 0 || le > pending.length) return sw(0x6c00 | (pending.length & 0xff));
    const chunk = pending.slice(0, le);
    const rest = pending.slice(le);
    this.pending = rest.length > 0 ? rest : undefined;
    return withSw(chunk, rest.length > 0 ? 0x6100 | (rest.length & 0xff) : Sw.ok);
  }
}
