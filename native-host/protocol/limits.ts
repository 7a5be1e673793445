/**
 * Size caps of the wire contract, apart from its schemas: the content script injected into pages
 * checks the legacy line length too, and must not carry the schema library to learn one number.
 */

/** A legacy NHIICC command line as a page sends it; its own export, so the content script carries only this number. */
export const MAX_LEGACY_LINE_LENGTH = 4096;

/** Caps that keep a hostile or broken peer from making us buffer without bound. */
export const LIMITS = {
  /** Incoming frames to the host. */
  maxRequestBytes: 64 * 1024,
  /** Outgoing frames from the host, under Chrome's 1 MB host-to-browser limit. */
  maxResponseBytes: 1024 * 1024 - 1,
  maxIdLength: 64,
  maxReaderNameLength: 256,
  maxLegacyLineLength: MAX_LEGACY_LINE_LENGTH,
} as const;
