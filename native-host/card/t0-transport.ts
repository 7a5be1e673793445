/**
 * The one place that knows T=0 quirks: readers on T=0 answer `61 XX` ("XX more bytes, fetch
 * them with GET RESPONSE") and `6C XX` ("wrong Le, resend with Le = XX"). Callers see one
 * ResponseApdu with all the data and the final status word.
 */
import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import { CommandApdu, ResponseApdu } from './apdu';
import type { CardSession } from './card-session';
import { concatBytes } from './bytes';

const SW1_MORE_DATA = 0x61;
const SW1_WRONG_LE = 0x6c;

/**
 * Upper bound on exchanges for one command. 16 GET RESPONSEs of 256 bytes is far beyond any NHI
 * answer; a card that keeps chaining past it is broken, and we must not loop forever.
 */
export const MAX_T0_EXCHANGES = 16;

/** GET RESPONSE asking for `le` bytes (00 C0 00 00 XX). */
export function getResponseApdu(le: number): CommandApdu {
  return new CommandApdu({ cla: 0x00, ins: 0xc0, p1: 0x00, p2: 0x00, le });
}

/** Sends `command` and follows T=0 `61 XX` / `6C XX` answers until the card gives a final status. */
export async function transmitApdu(session: CardSession, command: CommandApdu): Promise<ResponseApdu> {
  const chunks: Uint8Array[] = [];
  let next = command;
  for (let exchange = 0; exchange < MAX_T0_EXCHANGES; exchange++) {
    const response = ResponseApdu.fromBytes(await session.transmit(next.toBytes()));
    if (response.sw1 === SW1_WRONG_LE) {
      // Any data with a 6C is meaningless; the resent command's answer replaces it.
      next = next.withLe(response.sw2);
      continue;
    }
    chunks.push(response.data);
    if (response.sw1 === SW1_MORE_DATA) {
      next = getResponseApdu(response.sw2);
      continue;
    }
    return new ResponseApdu(concatBytes(...chunks), response.sw1, response.sw2);
  }
  throw new NhiCardError(ErrorCode.CardError, `the card did not finish its answer within ${MAX_T0_EXCHANGES} exchanges`);
}
