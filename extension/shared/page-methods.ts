/**
 * The protocol map of what a page may ask for, shared by every hop: page (MAIN world) -> content
 * script -> background. One map types both sides of each hop; its schemas are what the background
 * validates requests and results with. Scripts injected into pages import only types from here
 * (their values come from ./page-method-names.ts), so the schema library stays out of pages.
 */
import * as z from 'zod/mini';
import { LIMITS, identitySchema } from '../../native-host/protocol/messages';
import { CARD_EVENT_TYPES, MAX_LEGACY_REPLY_LENGTH, MAX_READERS } from './page-method-names';
import { HTTP_API_NAMES, MAX_HTTP_ANSWER_LENGTH, MAX_HTTP_BODY_LENGTH } from './nhiicc-http-names';

export { CARD_EVENT_TYPES, MAX_LEGACY_REPLY_LENGTH, MAX_READERS, PAGE_CALLABLE_METHODS, type CardEventType, type PageCallableMethod } from './page-method-names';

const empty = z.strictObject({});

const readerSchema = z.strictObject({
  name: z.string().check(z.maxLength(LIMITS.maxReaderNameLength)),
  cardPresent: z.boolean(),
});

const hostStateSchema = z.strictObject({
  connected: z.boolean(),
  /** Host version string, when connected. */
  version: z.optional(z.string().check(z.maxLength(64))),
  /** Host protocol version, when connected. */
  protocol: z.optional(z.number().check(z.int())),
  /** Why the host is not connected (a stable code), when it is not. */
  errorCode: z.optional(z.string().check(z.maxLength(64))),
});

export const pageStatusSchema = z.strictObject({
  host: hostStateSchema,
  readers: z.array(readerSchema).check(z.maxLength(MAX_READERS)),
  cardPresent: z.boolean(),
});
export type PageStatus = z.infer<typeof pageStatusSchema>;

/** Card identity as the page receives it: the host's identity with bounded fields. */
export const pageIdentitySchema = z.extend(identitySchema, {
  cardNumber: z.string().check(z.maxLength(32)),
  name: z.string().check(z.maxLength(64)),
  idNumber: z.string().check(z.maxLength(32)),
  birthDate: z.string().check(z.maxLength(16)),
  issueDate: z.string().check(z.maxLength(16)),
  reader: z.string().check(z.maxLength(LIMITS.maxReaderNameLength)),
});
export type PageIdentity = z.infer<typeof pageIdentitySchema>;

export const pageMethods = {
  /** Start the host now so the first real request does not pay for the spawn. Content script only. */
  warm: { params: empty, result: empty },
  /** Host, readers and card presence. Never asks for consent; reveals no card data. */
  status: { params: empty, result: pageStatusSchema },
  /** The card holder identity; asks for consent. */
  readCard: { params: empty, result: pageIdentitySchema },
  /** Whether a legacy socket may open: resolves once the host is reachable. */
  legacyOpen: { params: empty, result: empty },
  /** One NHIICC text frame; the reply text, success or numeric error code alike. */
  legacy: {
    params: z.strictObject({ line: z.string().check(z.maxLength(LIMITS.maxLegacyLineLength)) }),
    result: z.strictObject({ reply: z.string().check(z.maxLength(MAX_LEGACY_REPLY_LENGTH)) }),
  },
  /** One request of the 2024 page library's HTTP API: the JSON text it reads, or a status image's data: URL. */
  http: {
    params: z.strictObject({ name: z.enum(HTTP_API_NAMES), body: z.string().check(z.maxLength(MAX_HTTP_BODY_LENGTH)) }),
    result: z.strictObject({ body: z.string().check(z.maxLength(MAX_HTTP_ANSWER_LENGTH)) }),
  },
  /** Start receiving card and reader events. */
  subscribe: { params: empty, result: empty },
  /** Stop receiving card and reader events. */
  unsubscribe: { params: empty, result: empty },
} as const satisfies Record<string, { params: z.ZodMiniType; result: z.ZodMiniType }>;

export type PageMethod = keyof typeof pageMethods;
export type ParamsOf<M extends PageMethod> = z.infer<(typeof pageMethods)[M]['params']>;
export type ResultOf<M extends PageMethod> = z.infer<(typeof pageMethods)[M]['result']>;

export const cardEventSchema = z.strictObject({
  type: z.enum(CARD_EVENT_TYPES),
  reader: z.string().check(z.maxLength(LIMITS.maxReaderNameLength)),
});
export type CardEvent = z.infer<typeof cardEventSchema>;
