/**
 * The card side of H_Sign, claiming the card once per card step instead of across the whole
 * exchange: the waits on the SAM service in between leave the card free for other tabs. Every
 * step after the first goes to the same reader and must find the same insertion of the card
 * (its memo), so a swapped or re-inserted card fails the exchange instead of mixing two cards.
 */
import type { CardMemo } from '../card/card-memo';
import { NhiCard } from '../card/nhi-card';
import type { ReaderService } from '../pcsc/reader-service';
import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import type { SamCard } from './sam-client';

export class StepwiseCard implements SamCard {
  /** The reader and insertion the first step used. */
  private insertion: { readonly reader: string; readonly memo: CardMemo } | undefined;

  constructor(private readonly readers: ReaderService) {}

  readCardId(): Promise<Uint8Array> {
    return this.step(async (card) => {
      await card.select();
      return card.readCardId();
    });
  }

  getChallenge(): Promise<Uint8Array> {
    // No SELECT: any command that ran since selected the same applet.
    return this.step((card) => card.getChallenge());
  }

  mutualAuthenticate(challenge32: Uint8Array): Promise<Uint8Array> {
    // No SELECT here: re-selecting the applet could discard the challenge the card issued.
    return this.step((card) => card.mutualAuthenticate(challenge32));
  }

  /** Runs one card step in its own claim of the card. */
  private step<T>(use: (card: NhiCard) => Promise<T>): Promise<T> {
    const pinned = this.insertion;
    return this.readers.withCard(
      async (session, reader, memo) => {
        if (pinned !== undefined && (reader !== pinned.reader || memo !== pinned.memo)) {
          throw new NhiCardError(ErrorCode.CardRemoved, 'the card was removed or changed during H_Sign');
        }
        const result = await use(new NhiCard(session));
        this.insertion ??= { reader, memo };
        return result;
      },
      pinned === undefined ? {} : { reader: pinned.reader },
    );
  }
}
