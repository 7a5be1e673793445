/**
 * The wire contract between the extension's background and the native host, shared by both
 * sides. Frames carry one JSON value each (see native-host/messaging/). Types are derived from the
 * schemas, so both sides validate with the same code.
 */
import * as z from 'zod/mini';
import { ErrorCode } from './error-codes';
import type { WireError } from './nhi-card-error';
import { LIMITS } from './limits';

/** Bumped on any incompatible change; the extension refuses a host with another major. */
export const PROTOCOL_VERSION = 1;

export { LIMITS };

const requestId = z.string().check(z.minLength(1), z.maxLength(LIMITS.maxIdLength));
const readerName = z.string().check(z.minLength(1), z.maxLength(LIMITS.maxReaderNameLength));

export const requestSchema = z.discriminatedUnion('command', [
  /** Host and protocol version. */
  z.strictObject({ id: requestId, command: z.literal('version') }),
  /** Connected readers and their card state. */
  z.strictObject({ id: requestId, command: z.literal('readers') }),
  /** The holder identity from the NHI card; `reader` forces one reader. */
  z.strictObject({ id: requestId, command: z.literal('readCard'), reader: z.optional(readerName) }),
  /** Start pushing reader/card events on this connection. */
  z.strictObject({ id: requestId, command: z.literal('subscribe') }),
  /** Stop pushing events. */
  z.strictObject({ id: requestId, command: z.literal('unsubscribe') }),
  /** One NHIICC text command exactly as a page sent it, e.g. `GetBasic`; answered with the NHIICC reply text. */
  z.strictObject({ id: requestId, command: z.literal('legacy'), line: z.string().check(z.maxLength(LIMITS.maxLegacyLineLength)) }),
]);

export type Request = z.infer<typeof requestSchema>;
export type Command = Request['command'];
export const COMMANDS: readonly Command[] = ['version', 'readers', 'readCard', 'subscribe', 'unsubscribe', 'legacy'];

export const identitySchema = z.strictObject({
  cardNumber: z.string(),
  name: z.string(),
  idNumber: z.string(),
  /** YYYY-MM-DD */
  birthDate: z.string(),
  sex: z.enum(['M', 'F']),
  /** YYYY-MM-DD */
  issueDate: z.string(),
  /** The reader the card was read from. */
  reader: z.string(),
});

export const readerInfoSchema = z.strictObject({
  name: z.string(),
  cardPresent: z.boolean(),
  atr: z.optional(z.string()),
});

/** The `result` of each command. */
export const resultSchemas = {
  version: z.strictObject({ host: z.string(), protocol: z.number().check(z.int()) }),
  readers: z.strictObject({ readers: z.array(readerInfoSchema) }),
  readCard: identitySchema,
  subscribe: z.strictObject({}),
  unsubscribe: z.strictObject({}),
  legacy: z.strictObject({ reply: z.string() }),
} satisfies Record<Command, z.ZodMiniType>;

export type ResultOf<C extends Command> = z.infer<(typeof resultSchemas)[C]>;
export type Identity = z.infer<typeof identitySchema>;

/** The host's wire form of an error: host codes only (native-host/protocol/nhi-card-error.ts). */
export const hostWireErrorSchema = z.strictObject({
  code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
}) satisfies z.ZodMiniType<WireError<ErrorCode>>;

export const responseSchema = z.union([
  z.strictObject({ id: z.string(), result: z.unknown() }),
  /** `id` is null when the request was too broken to carry one. */
  z.strictObject({ id: z.nullable(z.string()), error: hostWireErrorSchema }),
]);
export type Response = z.infer<typeof responseSchema>;

export const eventSchema = z.discriminatedUnion('event', [
  /** The host's first message on every connection. */
  z.strictObject({ event: z.literal('hello'), host: z.string(), protocol: z.number().check(z.int()) }),
  z.strictObject({ event: z.literal('reader-added'), reader: z.string() }),
  z.strictObject({ event: z.literal('reader-removed'), reader: z.string() }),
  z.strictObject({ event: z.literal('card-inserted'), reader: z.string() }),
  z.strictObject({ event: z.literal('card-removed'), reader: z.string() }),
]);
export type HostEvent = z.infer<typeof eventSchema>;

/** Anything the host may write: a response to a request, or a pushed event. */
export const hostMessageSchema = z.union([responseSchema, eventSchema]);
export type HostMessage = z.infer<typeof hostMessageSchema>;
