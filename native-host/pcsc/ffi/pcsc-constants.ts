/** PC/SC constants the ffi backend uses; winscard.dll and pcsc-lite share these values. */

export const SCARD_SCOPE_USER = 0;
export const SCARD_SHARE_SHARED = 2;
export const SCARD_PROTOCOL_T0 = 1;
export const SCARD_PROTOCOL_T1 = 2;
export const SCARD_LEAVE_CARD = 0;
/** SCardGetStatusChange's "wait for ever". */
export const INFINITE = 0xffffffff;

export const SCARD_STATE_UNAWARE = 0;
export const SCARD_STATE_IGNORE = 0x1;
export const SCARD_STATE_CHANGED = 0x2;
export const SCARD_STATE_UNKNOWN = 0x4;
export const SCARD_STATE_EMPTY = 0x10;
export const SCARD_STATE_PRESENT = 0x20;

/** The pseudo-reader whose state changes when a reader is plugged in or out. */
export const PNP_NOTIFICATION_READER = '\\\\?PnP?\\Notification';
