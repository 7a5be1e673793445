/**
 * The names and caps of the page protocol, with no schema library: the scripts injected into
 * pages (page world and content script) import these, the schemas live in ./page-methods.ts.
 */
import type { PageMethod } from './page-methods';

/** A legacy NHIICC reply is short text (the longest, H_Sign, is ~263 characters). */
export const MAX_LEGACY_REPLY_LENGTH = 16 * 1024;
/** Readers a status may list; more is a broken host. */
export const MAX_READERS = 32;

/** Every method of the protocol map, in its order. */
export const PAGE_METHODS = ['warm', 'status', 'readCard', 'legacyOpen', 'legacy', 'http', 'subscribe', 'unsubscribe'] as const satisfies readonly PageMethod[];

/** Methods a page script may call; `warm` is the content script's own. */
export const PAGE_CALLABLE_METHODS = ['status', 'readCard', 'legacyOpen', 'legacy', 'http', 'subscribe', 'unsubscribe'] as const satisfies readonly PageMethod[];
export type PageCallableMethod = (typeof PAGE_CALLABLE_METHODS)[number];

export const CARD_EVENT_TYPES = ['card-inserted', 'card-removed', 'reader-added', 'reader-removed'] as const;
export type CardEventType = (typeof CARD_EVENT_TYPES)[number];
