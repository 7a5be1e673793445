/**
 * Card-holder profiles for the virtual card: validated with zod and encoded into the exact
 * bytes a real NHI card returns (57-byte basic record, HC data, card id).
 */
import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { z } from 'zod';

const rocDate = z.string().regex(/^\d{7}$/, 'ROC date must be 7 digits YYYMMDD');

/** A synthetic card holder. Field encodings follow the 57-byte basic-data record. */
export const cardProfileSchema = z
  .object({
    /** 12 ASCII digits. */
    cardNumber: z.string().regex(/^\d{12}$/, 'card number must be 12 digits'),
    /** Encoded to Big5-HKSCS; at most 20 bytes once encoded. */
    name: z.string().min(1),
    /** National ID or resident number, 10 ASCII characters. */
    idNumber: z.string().regex(/^[A-Z][0-9A-Z]\d{8}$/, 'ID must look like A123456789'),
    birthRoc: rocDate,
    sex: z.enum(['M', 'F']),
    issueRoc: rocDate,
    /** The HC "card termination" flag, one ASCII character. */
    hcFlag: z.string().length(1),
    /** 12 ASCII characters returned by READ CARD ID. */
    cardId: z.string().regex(/^[\x21-\x7e]{12}$/, 'card id must be 12 printable ASCII characters'),
    /** How the name field is padded to 20 bytes; cards use NUL, some use spaces. */
    namePadding: z.enum(['nul', 'space']).optional(),
  })
  .strict()
  .superRefine((profile, ctx) => {
    const length = encodeName(profile.name).length;
    if (length > NAME_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: `name is ${length} bytes in Big5, the card holds ${NAME_BYTES}` });
    }
  });

export type CardProfile = z.infer<typeof cardProfileSchema>;

/** Size of the basic-data record (READ BASIC answer without the status word). */
export const BASIC_RECORD_BYTES = 57;
const NAME_BYTES = 20;

function encodeName(name: string): Uint8Array {
  return new Uint8Array(iconv.encode(name, 'big5hkscs'));
}

function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Validates an unknown value as a profile, throwing a readable zod error. */
export function parseCardProfile(value: unknown): CardProfile {
  return cardProfileSchema.parse(value);
}

/** Reads and validates a profile JSON file. */
export async function loadCardProfile(path: string): Promise<CardProfile> {
  const text = await readFile(path, 'utf8');
  const result = cardProfileSchema.safeParse(JSON.parse(text));
  if (!result.success) {
    throw new Error(`invalid card profile ${path}: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** The 57-byte basic-data record exactly as the card stores it. */
export function encodeBasicRecord(profile: CardProfile): Uint8Array {
  const record = new Uint8Array(BASIC_RECORD_BYTES);
  record.set(ascii(profile.cardNumber), 0);
  record.fill(profile.namePadding === 'space' ? 0x20 : 0x00, 12, 32);
  record.set(encodeName(profile.name), 12);
  record.set(ascii(profile.idNumber), 32);
  record.set(ascii(profile.birthRoc), 42);
  record.set(ascii(profile.sex), 49);
  record.set(ascii(profile.issueRoc), 50);
  return record;
}

/** The HC data answer: the termination flag followed by filler the bridge ignores. */
export function encodeHcData(profile: CardProfile): Uint8Array {
  const data = new Uint8Array(16).fill(0x20);
  data.set(ascii(profile.hcFlag), 0);
  return data;
}

/** The 12-byte card id. */
export function encodeCardId(profile: CardProfile): Uint8Array {
  return ascii(profile.cardId);
}
