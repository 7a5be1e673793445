import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { DEFAULT_EXCHANGE_TIMEOUT_MS } from '../pcsc/pcsc-reader-service';
import { DEFAULT_LEGACY_VERSION, DEFAULT_SAM_ENDPOINT } from '../legacy/legacy-handler';
import type { SamSettings } from '../legacy/sam-service';

/** Settings a deployment (or a test rig) can change through the environment. */
export interface HostSettings {
  readonly sam: SamSettings;
  readonly legacyVersion: string;
  readonly exchangeTimeoutMs: number;
}

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** `HOST:PORT` as an address; undefined when malformed or the port is out of range. */
function parseHostPort(value: string): { host: string; port: number } | undefined {
  if (!HOST_PORT.test(value)) return undefined;
  const separator = value.lastIndexOf(':');
  const port = Number(value.slice(separator + 1));
  return port > 0 && port < 65536 ? { host: value.slice(0, separator), port } : undefined;
}

const endpoint = z
  .pipe(
    z.string().check(z.regex(HOST_PORT, 'expected HOST:PORT')),
    z.transform((value: string) => parseHostPort(value)),
  )
  .check(z.refine((value) => value !== undefined, 'port out of range'));

/** A comma-separated list of HOST:PORT. */
const endpointList = z
  .pipe(
    z.string(),
    z.transform((value: string) => value.split(',').map((entry) => parseHostPort(entry.trim()))),
  )
  .check(z.refine((entries) => entries.every((entry) => entry !== undefined), 'expected HOST:PORT[,HOST:PORT...]'));

/** A comma-separated list of SHA-256 digests in hex. */
const sha256List = z
  .pipe(
    z.string(),
    z.transform((value: string) => value.split(',').map((entry) => entry.trim().toLowerCase())),
  )
  .check(z.refine((entries) => entries.every((entry) => /^[0-9a-f]{64}$/.test(entry)), 'expected 64 hex digits[,64 hex digits...]'));

const settingsSchema = z.object({
  /** The NHI SAM service for H_Sign, HOST:PORT; H_SignIPAndPort may name it too. */
  NHI_CARD_SAM_ENDPOINT: z.optional(endpoint),
  /** More SAM services H_SignIPAndPort may name, HOST:PORT[,HOST:PORT...]. */
  NHI_CARD_SAM_ALLOW: z.optional(endpointList),
  /** Accept only SAM servers whose key has one of these SHA-256 digests (DER SubjectPublicKeyInfo, hex). */
  NHI_CARD_SAM_KEY_SHA256: z.optional(sha256List),
  /** The value GetVersion answers (4 digits). */
  NHI_CARD_LEGACY_VERSION: z.optional(z.string().check(z.regex(/^\d{4}$/, 'expected 4 digits'))),
  /** Per-APDU timeout in milliseconds. */
  NHI_CARD_EXCHANGE_TIMEOUT_MS: z.optional(z.coerce.number().check(z.int(), z.gte(100), z.lte(60_000))),
});

/** zod/mini carries no message text; these are the English messages classic zod gave. */
const englishMessages = { error: en().localeError };

/** Reads the host settings from the environment; a malformed value is an error naming the variable. */
export function hostSettingsFromEnv(env: NodeJS.ProcessEnv): HostSettings {
  const parsed = settingsSchema.safeParse(env, englishMessages);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid setting ${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'malformed'}`);
  }
  return {
    sam: {
      endpoint: {
        ...(parsed.data.NHI_CARD_SAM_ENDPOINT ?? DEFAULT_SAM_ENDPOINT),
        ...(parsed.data.NHI_CARD_SAM_KEY_SHA256 === undefined ? {} : { serverKeySha256: parsed.data.NHI_CARD_SAM_KEY_SHA256 }),
      },
      alsoAllowed: (parsed.data.NHI_CARD_SAM_ALLOW ?? []).filter((entry) => entry !== undefined),
    },
    legacyVersion: parsed.data.NHI_CARD_LEGACY_VERSION ?? DEFAULT_LEGACY_VERSION,
    exchangeTimeoutMs: parsed.data.NHI_CARD_EXCHANGE_TIMEOUT_MS ?? DEFAULT_EXCHANGE_TIMEOUT_MS,
  };
}
