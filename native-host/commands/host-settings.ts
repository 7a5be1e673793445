import { z } from 'zod';
import { DEFAULT_EXCHANGE_TIMEOUT_MS } from '../pcsc/pcsc-reader-service';
import { DEFAULT_LEGACY_VERSION, DEFAULT_SAM_ENDPOINT } from '../legacy/legacy-handler';

/** Settings a deployment (or a test rig) can change through the environment. */
export interface HostSettings {
  readonly sam: { readonly host: string; readonly port: number };
  readonly legacyVersion: string;
  readonly exchangeTimeoutMs: number;
}

const endpoint = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected HOST:PORT')
  .transform((value) => {
    const separator = value.lastIndexOf(':');
    return { host: value.slice(0, separator), port: Number(value.slice(separator + 1)) };
  })
  .refine((value) => value.port > 0 && value.port < 65536, 'port out of range');

const settingsSchema = z.object({
  /** The NHI SAM service for H_Sign, HOST:PORT. */
  NHI_CARD_SAM_ENDPOINT: endpoint.optional(),
  /** The value GetVersion answers (4 digits). */
  NHI_CARD_LEGACY_VERSION: z.string().regex(/^\d{4}$/, 'expected 4 digits').optional(),
  /** Per-APDU timeout in milliseconds. */
  NHI_CARD_EXCHANGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).optional(),
});

/** Reads the host settings from the environment; a malformed value is an error naming the variable. */
export function hostSettingsFromEnv(env: NodeJS.ProcessEnv): HostSettings {
  const parsed = settingsSchema.safeParse(env);
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
