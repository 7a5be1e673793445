/**
 * Stable string error codes: the host's (ErrorCode, which the extension uses too) and the
 * extension's own (ExtensionErrorCode, below). The legacy NHIICC numeric codes are a mapping at
 * the legacy edge (native-host/legacy/), not the internal model. Every code here is produced
 * somewhere; the comment says where.
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

/**
 * Codes produced by the extension itself, never by the host (its wire carries ErrorCode only).
 * Pages see both sets through one `code` field, so they must never overlap. The scripts injected
 * into pages write the few codes they use as literals, which the AnyErrorCode type checks: that
 * way they do not carry these tables into every frame.
 */
export const ExtensionErrorCode = {
  /** background: the native host is not installed or not registered for this browser. */
  HostNotFound: 'HOST_NOT_FOUND',
  /** background: the host did not say hello, or did not answer a request, in time. */
  HostTimeout: 'HOST_TIMEOUT',
  /** background: the host exited (or was disconnected) while requests were pending. */
  HostExited: 'HOST_EXITED',
  /** background: the host speaks another protocol major version; one of the two needs updating. */
  HostIncompatible: 'HOST_INCOMPATIBLE',
  /** background: the host sent a message that breaks the wire contract. */
  HostProtocolError: 'HOST_PROTOCOL_ERROR',
  /** background: the user denied (or closed) the consent prompt, or remembered a denial. */
  ConsentDenied: 'CONSENT_DENIED',
  /** content + background: the frame's own origin is not on the allowlist (or is opaque / not HTTPS). */
  OriginNotAllowed: 'ORIGIN_NOT_ALLOWED',
  /** page + content: the extension was updated, disabled or reloaded; the page must be reloaded. */
  ExtensionUnavailable: 'EXTENSION_UNAVAILABLE',
  /** content: too many requests pending from one frame. */
  TooManyRequests: 'TOO_MANY_REQUESTS',
} as const;

export type ExtensionErrorCode = (typeof ExtensionErrorCode)[keyof typeof ExtensionErrorCode];

/** Every code a page, the content script or an extension page can receive. */
export type AnyErrorCode = ErrorCode | ExtensionErrorCode;

/** All codes, for schemas. */
export const ALL_ERROR_CODES: readonly AnyErrorCode[] = /* @__PURE__ */ (() => [...Object.values(ErrorCode), ...Object.values(ExtensionErrorCode)])();
