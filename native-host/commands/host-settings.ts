import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { DEFAULT_EXCHANGE_TIMEOUT_MS } from '../pcsc/pcsc-reader-service';
import { DEFAULT_LEGACY_VERSION, DEFAULT_SAM_ENDPOINT } from '../legacy/legacy-handler';

/** Settings a deployment (or a test rig) can change through the environment. */
export interface HostSettings {
  readonly sam: { readonly host: string; readonly port: number };
  readonly legacyVersion: string;
  readonly exchangeTimeoutMs: number;
}

const endpoint = z
  .pipe(
    z.string().check(z.regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected HOST:PORT')),
    z.transform((value: string) => {
      const separator = value.lastIndexOf(':');
      return { host: value.slice(0, separator), port: Number(value.slice(separator + 1)) };
    }),
  )
  .check(z.refine((value) => value.port > 0 && value.port < 65536, 'port out of range'));

const settingsSchema = z.object({
  /** The NHI SAM service for H_Sign, HOST:PORT. */
  NHI_CARD_SAM_ENDPOINT: z.optional(endpoint),
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
    sam: parsed.data.NHI_CARD_SAM_ENDPOINT ?? DEFAULT_SAM_ENDPOINT,
    legacyVersion: parsed.data.NHI_CARD_LEGACY_VERSION ?? DEFAULT_LEGACY_VERSION,
    exchangeTimeoutMs: parsed.data.NHI_CARD_EXCHANGE_TIMEOUT_MS ?? DEFAULT_EXCHANGE_TIMEOUT_MS,
  };
}
