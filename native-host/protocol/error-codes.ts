/**
 * Stable string error codes shared by the host and the extension. The legacy NHIICC numeric
 * codes are a mapping at the legacy edge (native-host/legacy/), not the internal model.
 * Every code here is produced somewhere; the comment says where.
 */
export const ErrorCode = {
  /** pcsc/: the PC/SC resource manager (pcscd) is not running or not reachable. */
  PcscUnavailable: 'PCSC_UNAVAILABLE',
  /** pcsc/: no smart-card reader is connected. */
  NoReader: 'NO_READER',
  /** pcsc/: the reader named with --reader / `reader` does not exist. */
  ReaderNotFound: 'READER_NOT_FOUND',
  /** pcsc/: readers exist but none holds a card. */
  NoCard: 'NO_CARD',
  /** card/: a card is present but does not answer the NHI applet SELECT. */
  NotNhiCard: 'NOT_NHI_CARD',
  /** pcsc/ + card/: the card went away during an exchange (or answered with fewer than 2 bytes). */
  CardRemoved: 'CARD_REMOVED',
  /** pcsc/: the card did not answer within the exchange timeout. */
  CardTimeout: 'CARD_TIMEOUT',
  /** card/: the card answered an unexpected status word. */
  CardError: 'CARD_ERROR',
  /** card/: the card's data could not be parsed (bad record, impossible date). */
  InvalidCardData: 'INVALID_CARD_DATA',
  /** pcsc/: another application holds the reader exclusively. */
  ReaderBusy: 'READER_BUSY',
  /** pcsc/: any other PC/SC failure. */
  PcscError: 'PCSC_ERROR',
  /** messaging/ + host: a frame or request that breaks the wire contract. */
  InvalidRequest: 'INVALID_REQUEST',
  /** host: a request whose `command` the host does not know. */
  UnknownCommand: 'UNKNOWN_COMMAND',
  /** messaging/: an incoming frame larger than the cap. */
  FrameTooLarge: 'FRAME_TOO_LARGE',
  /** host: started by an extension that is not ours. */
  ForbiddenCaller: 'FORBIDDEN_CALLER',
  /** anywhere: a bug; the message says what failed, never card data. */
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
