/**
 * H_Sign: the health check on a connection of its own, then the card authentication on a second
 * connection, as the official component does. The SAM handshake runs before the card is claimed;
 * the card's challenge and mutual authentication then happen inside one `withCard` call so no
 * other command can interleave APDUs between them.
 */
import { NhiCard } from '../card/nhi-card';
import type { ReaderService } from '../pcsc/reader-service';
import { checkSamHealth, withSamSession } from './sam-client';
import type { SamEndpoint } from './sam-endpoint';

/** The 256-character signature over `signData` (version + random) for the card in a reader. */
export async function signWithCard(readers: ReaderService, endpoint: SamEndpoint, signData: string): Promise<string> {
  await checkSamHealth(endpoint);
  return withSamSession(endpoint, (sam) =>
    readers.withCard(async (session) => {
      const card = new NhiCard(session);
      await card.select();
      return sam.authenticateCard(card, signData);
    }),
  );
}
