import type { CardMemo } from '../card/card-memo';
import type { CardSession } from '../card/card-session';

/** A reader as PC/SC reports it. */
export interface ReaderInfo {
  readonly name: string;
  readonly cardPresent: boolean;
  /** Upper-case hex ATR when a card is present. */
  readonly atr?: string;
}

/** Reader and card presence changes, in the order PC/SC reported them. */
export type ReaderEvent =
  | { readonly type: 'reader-added'; readonly reader: string }
  | { readonly type: 'reader-removed'; readonly reader: string }
  | { readonly type: 'card-inserted'; readonly reader: string }
  | { readonly type: 'card-removed'; readonly reader: string };

export interface CardAccessOptions {
  /** Use only this reader (exact name); otherwise every reader holding a card is tried in order. */
  readonly reader?: string | undefined;
}

/**
 * Everything the rest of the host knows about PC/SC. Card access is serialized: two `withCard`
 * calls never interleave their APDUs.
 */
export interface ReaderService {
  /** The readers now connected and whether each holds a card. */
  listReaders(): Promise<ReaderInfo[]>;
  /**
   * Runs `use` with a session on a card, one caller at a time. Readers holding a card are tried in
   * order; when `use` rejects with NOT_NHI_CARD the next reader is tried, so the chosen reader is
   * the one whose card answers the NHI SELECT. `memo` belongs to the card's current insertion: it
   * is forgotten when the card is removed or re-inserted, the reader goes away or the connection
   * to the card is lost.
   */
  withCard<T>(use: (session: CardSession, reader: string, memo: CardMemo) => Promise<T>, options?: CardAccessOptions): Promise<T>;
  /** Subscribes to reader/card events; returns the unsubscribe function. */
  onEvent(listener: (event: ReaderEvent) => void): () => void;
  /** Releases the PC/SC context; pending calls reject. */
  close(): Promise<void>;
}
