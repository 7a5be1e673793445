/**
 * The NHI card's commands and answer sizes, as published (see NHI-CARD-FACTS.md). Kept apart from
 * the logic so the wire bytes can be checked against the spec at a glance.
 */
import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import { CommandApdu } from './apdu';

/** AID of the NHI applet: D1 58 00 00 01 00 00 00 00 00 00 00 00 00 11 00. */
export const NHI_APPLET_AID = Uint8Array.of(0xd1, 0x58, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, 0x00);

/** Bytes in the basic-data record (card number, name, ID, birth date, sex, issue date). */
export const BASIC_RECORD_LENGTH = 57;
/** Bytes in the card id that the SAM exchange and EnCrypt use. */
export const CARD_ID_LENGTH = 12;
/** Bytes of randomness GET CHALLENGE returns. */
export const CARD_CHALLENGE_LENGTH = 8;
/** Bytes of the SAM service's challenge that mutual authentication sends to the card. */
export const SAM_CHALLENGE_LENGTH = 32;
/** Bytes of the card's answer to mutual authentication. */
export const MUTUAL_AUTH_ANSWER_LENGTH = 16;

/** The data field `00 00` that the NHI read commands carry. */
const READ_DATA = Uint8Array.of(0x00, 0x00);

/** SELECT the NHI applet by AID: 00 A4 04 00 10 <AID>. Lc 10 covers the whole AID, so no Le is sent. */
export const SELECT_NHI_APPLET = new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: NHI_APPLET_AID });

/** Read the basic-data record: 00 CA 11 00 02 00 00 00 (the trailing Le some readers need is always sent). */
export const READ_BASIC_DATA = new CommandApdu({ cla: 0x00, ins: 0xca, p1: 0x11, p2: 0x00, data: READ_DATA, le: 0x00 });

/** Read the HC card data whose byte 0 is the card termination flag: 00 CA 24 00 02 00 00 00. */
export const READ_HC_DATA = new CommandApdu({ cla: 0x00, ins: 0xca, p1: 0x24, p2: 0x00, data: READ_DATA, le: 0x00 });

/** Read the 12-byte card id: 00 CA 00 00 02 00 00 00. */
export const READ_CARD_ID = new CommandApdu({ cla: 0x00, ins: 0xca, p1: 0x00, p2: 0x00, data: READ_DATA, le: 0x00 });

/** GET CHALLENGE for 8 bytes: 00 84 00 00 08. */
export const GET_CHALLENGE = new CommandApdu({ cla: 0x00, ins: 0x84, p1: 0x00, p2: 0x00, le: CARD_CHALLENGE_LENGTH });

/** Mutual authentication with the SAM's 32-byte challenge: 00 82 11 12 20 <challenge> 10. */
export function mutualAuthenticateApdu(samChallenge: Uint8Array): CommandApdu {
  if (samChallenge.length !== SAM_CHALLENGE_LENGTH) {
    throw new NhiCardError(
      ErrorCode.Internal,
      `mutual authentication needs a ${SAM_CHALLENGE_LENGTH}-byte challenge, got ${samChallenge.length} bytes`,
    );
  }
  return new CommandApdu({ cla: 0x00, ins: 0x82, p1: 0x11, p2: 0x12, data: samChallenge, le: MUTUAL_AUTH_ANSWER_LENGTH });
}
