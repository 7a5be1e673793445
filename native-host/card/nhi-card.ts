/**
 * The NHI card's operations over an injected CardSession. Each method is one command; none selects
 * the applet on its own (the caller decides when to SELECT), except `readIdentity`.
 */
import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import type { CommandApdu } from './apdu';
import { parseBasicRecord } from './basic-record';
import type { BasicRecord } from './basic-record.types';
import { CardMemo } from './card-memo';
import type { CardSession } from './card-session';
import {
  BASIC_RECORD_LENGTH,
  CARD_CHALLENGE_LENGTH,
  CARD_ID_LENGTH,
  GET_CHALLENGE,
  MUTUAL_AUTH_ANSWER_LENGTH,
  READ_BASIC_DATA,
  READ_CARD_ID,
  READ_HC_DATA,
  SELECT_NHI_APPLET,
  mutualAuthenticateApdu,
} from './nhi-apdus';
import { transmitApdu } from './t0-transport';

/** What one exchange must return for its data to be used. */
interface Expectation {
  /** What the card is asked to do, for the refusal message ("return the card id"). */
  readonly action: string;
  /** What the answer holds, for the length message ("card id"). */
  readonly what: string;
  /** Exact data length, or the fewest bytes acceptable. */
  readonly length: number | { readonly atLeast: number };
  /** The code for a status word other than 90 00. */
  readonly onRefusal: ErrorCode;
}

/** Per operation: what a usable answer looks like. */
const EXPECT = {
  // Any refusal of the SELECT, 6A82 "not found" included, means the applet is not there.
  select: { action: 'select the NHI applet', what: 'SELECT answer', length: { atLeast: 0 }, onRefusal: ErrorCode.NotNhiCard },
  basicData: { action: 'return the basic data', what: 'basic data', length: BASIC_RECORD_LENGTH, onRefusal: ErrorCode.CardError },
  hcData: { action: 'return the HC card data', what: 'HC card data', length: { atLeast: 1 }, onRefusal: ErrorCode.CardError },
  cardId: { action: 'return the card id', what: 'card id', length: CARD_ID_LENGTH, onRefusal: ErrorCode.CardError },
  challenge: { action: 'give a challenge', what: 'challenge', length: CARD_CHALLENGE_LENGTH, onRefusal: ErrorCode.CardError },
  mutualAuth: {
    action: 'authenticate with the NHI service',
    what: 'mutual authentication answer',
    length: MUTUAL_AUTH_ANSWER_LENGTH,
    onRefusal: ErrorCode.CardError,
  },
} as const satisfies Record<string, Expectation>;

/** One NHI card, reached through `session`. */
export class NhiCard {
  constructor(private readonly session: CardSession) {}

  /** Selects the NHI applet; any status other than 90 00 (e.g. 6A82) means this is not an NHI card. */
  async select(): Promise<void> {
    await this.exchange(SELECT_NHI_APPLET, EXPECT.select);
  }

  /** Reads and parses the 57-byte basic-data record (the applet must be selected). */
  async readBasicRecord(): Promise<BasicRecord> {
    return parseBasicRecord(await this.exchange(READ_BASIC_DATA, EXPECT.basicData));
  }

  /** Reads the card termination flag: byte 0 of the HC card data, one printable ASCII character. */
  async readHcTerminationFlag(): Promise<string> {
    const [flag = 0] = await this.exchange(READ_HC_DATA, EXPECT.hcData);
    // The flag is replayed verbatim in GetBasic's CSV, so anything outside printable ASCII would corrupt it.
    if (flag < 0x20 || flag > 0x7e) {
      throw new NhiCardError(ErrorCode.InvalidCardData, 'the card termination flag is not a printable ASCII character');
    }
    return String.fromCharCode(flag);
  }

  /** Reads the 12-byte card id used by the SAM exchange and EnCrypt. */
  async readCardId(): Promise<Uint8Array> {
    return this.exchange(READ_CARD_ID, EXPECT.cardId);
  }

  /** Asks the card for 8 random bytes (GET CHALLENGE). */
  async getChallenge(): Promise<Uint8Array> {
    return this.exchange(GET_CHALLENGE, EXPECT.challenge);
  }

  /** Passes the SAM service's 32-byte challenge to the card and returns its 16-byte answer. */
  async mutualAuthenticate(challenge: Uint8Array): Promise<Uint8Array> {
    return this.exchange(mutualAuthenticateApdu(challenge), EXPECT.mutualAuth);
  }

  /** The single place status words and answer lengths are checked. */
  private async exchange(command: CommandApdu, expected: Expectation): Promise<Uint8Array> {
    const response = await transmitApdu(this.session, command);
    if (!response.isSuccess) {
      throw new NhiCardError(expected.onRefusal, `the card refused to ${expected.action} (status ${response.swHex})`);
    }
    const { length } = expected;
    const fits = typeof length === 'number' ? response.data.length === length : response.data.length >= length.atLeast;
    if (!fits) {
      const wanted = typeof length === 'number' ? `${length}` : `at least ${length.atLeast}`;
      throw new NhiCardError(
        ErrorCode.InvalidCardData,
        `the card returned ${response.data.length} bytes of ${expected.what} where ${wanted} were expected`,
      );
    }
    return response.data;
  }
}

/**
 * Selects the NHI applet and reads the basic-data record: the whole "who is this" read. With the
 * insertion's `memo` a card that was already read answers from it, without any APDU.
 */
export async function readIdentity(session: CardSession, memo = new CardMemo()): Promise<BasicRecord> {
  const known = memo.peek('basicRecord');
  if (known !== undefined) return known;
  const card = new NhiCard(session);
  await card.select();
  return memo.remember('basicRecord', () => card.readBasicRecord());
}
