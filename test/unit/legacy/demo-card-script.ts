/**
 * APDU script steps for a synthetic NHI card (the `demo` fixture's holder), as hex, for
 * ScriptedSession. Commands come from the card module's constants; answers are spelled out.
 */
import {
  GET_CHALLENGE,
  mutualAuthenticateApdu,
  READ_BASIC_DATA,
  READ_CARD_ID,
  READ_HC_DATA,
  SELECT_NHI_APPLET,
} from '../../../native-host/card/nhi-apdus';
import type { ScriptStep } from '../fakes/scripted-session';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const asciiHex = (text: string): string => Buffer.from(text, 'latin1').toString('hex');

/** 陳小明 in Big5. */
export const DEMO_NAME_BIG5 = 'b3afa470a9fa';
/** The demo card's 12-byte card id, as ASCII. */
export const DEMO_CARD_ID = '000012345678';
/** The GetBasic CSV the demo card yields. */
export const DEMO_CSV = '000012345678,A123456789,陳小明,0800101,M,0';

/** The 57-byte basic-data record; `namePadding` fills the rest of the 20-byte name field. */
export function demoBasicRecordHex(namePadding: 0x00 | 0x20 = 0x00): string {
  const name = DEMO_NAME_BIG5 + Buffer.alloc(20 - DEMO_NAME_BIG5.length / 2, namePadding).toString('hex');
  return asciiHex('000012345678') + name + asciiHex('A123456789') + asciiHex('0800101') + asciiHex('M') + asciiHex('1100315');
}

const OK = '9000';

export const step = {
  select: (reply = OK): ScriptStep => ({ expect: SELECT_NHI_APPLET.toString(), reply }),
  readBasic: (reply = demoBasicRecordHex() + OK): ScriptStep => ({ expect: READ_BASIC_DATA.toString(), reply }),
  readHc: (reply = asciiHex('0') + '20'.repeat(15) + OK): ScriptStep => ({ expect: READ_HC_DATA.toString(), reply }),
  readCardId: (reply = asciiHex(DEMO_CARD_ID) + OK): ScriptStep => ({ expect: READ_CARD_ID.toString(), reply }),
  getChallenge: (reply = '0102030405060708' + OK): ScriptStep => ({ expect: GET_CHALLENGE.toString(), reply }),
  mutualAuth: (challenge: Uint8Array, reply: Uint8Array | string): ScriptStep => ({
    expect: mutualAuthenticateApdu(challenge).toString(),
    reply: typeof reply === 'string' ? reply : hex(reply) + OK,
  }),
  reject: (expect: ScriptStep, error: Error): ScriptStep => ({ expect: expect.expect, reject: error }),
} as const;

/** SELECT, basic data, HC data: the GetBasic / SecureGetBasic script. */
export function basicScript(): ScriptStep[] {
  return [step.select(), step.readBasic(), step.readHc()];
}
