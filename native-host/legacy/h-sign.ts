/**
 * H_Sign: the health check on a connection of its own, then the card authentication on a second
 * connection, as the official component does; one such exchange at a time host-wide. The card is
 * claimed per card step (StepwiseCard), never across a wait on the SAM service.
 */
import type { ReaderService } from '../pcsc/reader-service';
import { checkSamHealth, withSamSession } from './sam-client';
import type { SamEndpoint } from './sam-endpoint';
import type { SamService } from './sam-service';
import { StepwiseCard } from './stepwise-card';

/** The 256-character signature over `signData` (version + random) for the card in a reader. */
export async function signWithCard(readers: ReaderService, sam: SamService, endpoint: SamEndpoint, signData: string): Promise<string> {
  return sam.exclusive(async () => {
    await checkSamHealth(endpoint);
    return withSamSession(endpoint, (session) => session.authenticateCard(new StepwiseCard(readers), signData));
  });
}
