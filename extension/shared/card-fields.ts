/**
 * The card data a request reveals, in the words the consent prompt shows. Consent is granted per
 * origin and per field: a site allowed the basic data is asked again before it gets more.
 */
import { LEGACY_COMMAND_NAMES, type LegacyCommandName } from '../../native-host/protocol/nhiicc';

export const CARD_FIELDS = [
  'cardNumber',
  'name',
  'idNumber',
  'birthDate',
  'sex',
  'issueDate',
  /** GetBasic's "card termination" flag. */
  'cardStatus',
  /** EnCrypt: a value derived from the card's internal id (fixed-key obfuscation, not secrecy). */
  'cardIdDerived',
  /** H_Sign: the card authenticates itself to the NHI SAM service; the page gets the signature. */
  'cardAuthentication',
] as const;

export type CardField = (typeof CARD_FIELDS)[number];

/** What readCard() returns. */
export const READ_CARD_FIELDS: readonly CardField[] = ['cardNumber', 'name', 'idNumber', 'birthDate', 'sex', 'issueDate'];

/** The GetBasic CSV: card number, ID, name, birth date, sex, termination flag. */
const BASIC_FIELDS: readonly CardField[] = ['cardNumber', 'idNumber', 'name', 'birthDate', 'sex', 'cardStatus'];

/**
 * Fields each legacy command gives the page; [] for the harmless ones (GetRandom's digits come
 * from the host, not the card).
 */
const LEGACY_FIELDS: Readonly<Record<LegacyCommandName, readonly CardField[]>> = {
  GetVersion: [],
  GetRandom: [],
  GetBasic: BASIC_FIELDS,
  // The reply is DES under a key derived from today's date: anyone can decode it to the basic data.
  SecureGetBasicWithParam: BASIC_FIELDS,
  EnCrypt: ['cardIdDerived'],
  H_Sign: ['cardAuthentication'],
  H_SignIPAndPort: ['cardAuthentication'],
};

/**
 * What a legacy page is asked consent for, whichever card command it sends first: everything the
 * legacy protocol can reveal. Real flows chain commands (GetBasic then H_Sign; EnCrypt then
 * H_Sign), and one prompt that names every field is clearer than a second and third prompt in the
 * middle of a login.
 */
const LEGACY_FLOW_FIELDS: readonly CardField[] = [...new Set(Object.values(LEGACY_FIELDS).flat())];

function isLegacyCommandName(name: string): name is LegacyCommandName {
  return (LEGACY_COMMAND_NAMES as readonly string[]).includes(name);
}

/** The command name of an NHIICC line: the text before `?`. */
export function legacyCommandName(line: string): string {
  const end = line.indexOf('?');
  return end === -1 ? line : line.slice(0, end);
}

/**
 * The fields consent must cover before a legacy line is sent: [] for the known harmless commands,
 * every legacy field (LEGACY_FLOW_FIELDS) for the known card commands, and undefined for anything
 * else. Unknown lines never reach the host (the extension answers 9999 itself), so no spelling the
 * host might accept can skip consent.
 */
export function legacyLineFields(line: string): readonly CardField[] | undefined {
  const name = legacyCommandName(line);
  if (!isLegacyCommandName(name)) return undefined;
  return LEGACY_FIELDS[name].length === 0 ? [] : LEGACY_FLOW_FIELDS;
}

/** True when every field in `wanted` is in `granted`. */
export function coversFields(granted: readonly CardField[], wanted: readonly CardField[]): boolean {
  return wanted.every((field) => granted.includes(field));
}
