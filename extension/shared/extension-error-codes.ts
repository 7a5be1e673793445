/**
 * Error codes produced by the extension itself, next to the host's ErrorCode strings. Pages see
 * both through one `code` field, so the two sets must never overlap. The scripts injected into pages
 * write the few codes they use as literals, which the AnyErrorCode type checks: that way they do
 * not carry these tables into every frame.
 */
import { ErrorCode } from '../../native-host/protocol/error-codes';

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
