/**
 * The test card's answer to MUTUAL AUTHENTICATE, shared by the virtual card and the SAM
 * simulator so both sides agree without a real card key.
 */
import { createHmac } from 'node:crypto';

/** The HMAC key every virtual card uses; test-only, never a real NHI secret. */
export const TEST_CARD_KEY = new TextEncoder().encode('nhi-card-bridge test card key');

/** First 16 bytes of HMAC-SHA256(TEST_CARD_KEY, cardId(12) || challenge(32)). */
export function cardAuthAnswer(cardId: Uint8Array, challenge: Uint8Array): Uint8Array {
  if (cardId.length !== 12) throw new RangeError(`card id must be 12 bytes, got ${cardId.length}`);
  if (challenge.length !== 32) throw new RangeError(`challenge must be 32 bytes, got ${challenge.length}`);
  const mac = createHmac('sha256', TEST_CARD_KEY).update(cardId).update(challenge).digest();
  return new Uint8Array(mac.subarray(0, 16));
}
