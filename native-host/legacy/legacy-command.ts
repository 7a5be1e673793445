/**
 * Parsing one NHIICC command line, exactly as pages send it, into a typed value. This is the only
 * place page text is interpreted: anything malformed becomes `Invalid` or `Unknown` here, so it
 * never reaches the card or the SAM service. Parsing never throws.
 */
import { isIP } from 'node:net';
import { LIMITS } from '../protocol/messages';

/** Why a known command was refused before doing anything. */
export type InvalidReason =
  /** EnCrypt's password is not 6..12 printable ASCII characters (NHIICC code 8009). */
  | 'password-length'
  /** Missing, extra or undecodable arguments. */
  | 'malformed-arguments';

/** One parsed command line. */
export type LegacyCommand =
  | { readonly kind: 'GetVersion' }
  | { readonly kind: 'GetBasic' }
  | { readonly kind: 'GetRandom' }
  /** `H_Sign?Random=<version 4><random 16>`. */
  | { readonly kind: 'H_Sign'; readonly version: string; readonly random: string }
  /** `H_SignIPAndPort?Random=<b64>&IP=<b64>&PORT=<b64>` (2024 build): H_Sign against a page-chosen SAM server. */
  | { readonly kind: 'H_SignIPAndPort'; readonly version: string; readonly random: string; readonly ip: string; readonly port: number }
  /** `EnCrypt?Pwd=<6..12 characters>`. */
  | { readonly kind: 'EnCrypt'; readonly pwd: string }
  /** `SecureGetBasicWithParam?Pwd=...`; the official component ignores the password. */
  | { readonly kind: 'SecureGetBasicWithParam'; readonly pwd: string }
  /** A known command with unusable arguments. */
  | { readonly kind: 'Invalid'; readonly command: string; readonly reason: InvalidReason }
  /** Anything else (NHIICC code 9999). */
  | { readonly kind: 'Unknown' };

/** EnCrypt's password bounds, as the official component enforces them. */
export const PASSWORD_LENGTH = { min: 6, max: 12 } as const;
/** SecureGetBasicWithParam's password is never used; it is only bounded. */
const MAX_UNUSED_PASSWORD_LENGTH = 64;
/** The characters H_Sign sends to the SAM service as `<se=20>`: a 4-character version and 16 random digits. */
const SIGN_DATA = /^([0-9A-Za-z]{4})([0-9A-Za-z]{16})$/u;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/u;
/** Standard base64 with optional padding; the decoded length is re-checked below. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/u;
const DNS_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/u;
const PORT = /^[0-9]{1,5}$/u;
/** Longest base64 argument worth decoding: a DNS name of 253 characters encodes to 340. */
const MAX_BASE64_LENGTH = 344;

const UNKNOWN: LegacyCommand = { kind: 'Unknown' };

/** Parses one command line; never throws. */
export function parseLegacyCommand(line: string): LegacyCommand {
  if (line.length > LIMITS.maxLegacyLineLength) return UNKNOWN;
  const questionMark = line.indexOf('?');
  const name = questionMark === -1 ? line : line.slice(0, questionMark);
  const query = questionMark === -1 ? undefined : line.slice(questionMark + 1);

  switch (name) {
    case 'GetVersion':
    case 'GetBasic':
    case 'GetRandom':
      // The official component compares the whole line; `GetBasic?x` is not GetBasic.
      return query === undefined ? { kind: name } : UNKNOWN;
    case 'H_Sign':
      return parseHSign(query);
    case 'H_SignIPAndPort':
      return parseHSignIpAndPort(query);
    case 'EnCrypt':
      return parseEnCrypt(query);
    case 'SecureGetBasicWithParam':
      return parseSecureGetBasic(query);
    default:
      return UNKNOWN;
  }
}

function invalid(command: string, reason: InvalidReason): LegacyCommand {
  return { kind: 'Invalid', command, reason };
}

/** The value after `<key>=` when the query is exactly one such pair; the value may contain `=` and `&`. */
function singleValue(query: string | undefined, key: string): string | undefined {
  const prefix = `${key}=`;
  return query?.startsWith(prefix) === true ? query.slice(prefix.length) : undefined;
}

function parseHSign(query: string | undefined): LegacyCommand {
  const signData = splitSignData(singleValue(query, 'Random'));
  return signData === undefined ? invalid('H_Sign', 'malformed-arguments') : { kind: 'H_Sign', ...signData };
}

function parseHSignIpAndPort(query: string | undefined): LegacyCommand {
  const fail = invalid('H_SignIPAndPort', 'malformed-arguments');
  if (query === undefined) return fail;
  const values = new Map<string, string>();
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals === -1) return fail;
    const key = pair.slice(0, equals);
    if (values.has(key)) return fail;
    values.set(key, pair.slice(equals + 1));
  }
  if (values.size !== 3) return fail;
  const signData = splitSignData(decodeBase64Text(values.get('Random')));
  const ip = decodeBase64Text(values.get('IP'));
  const portText = decodeBase64Text(values.get('PORT'));
  if (signData === undefined || ip === undefined || portText === undefined) return fail;
  if (isIP(ip) === 0 && !DNS_NAME.test(ip)) return fail;
  if (!PORT.test(portText)) return fail;
  const port = Number(portText);
  if (port < 1 || port > 65_535) return fail;
  return { kind: 'H_SignIPAndPort', ...signData, ip, port };
}

function parseEnCrypt(query: string | undefined): LegacyCommand {
  const pwd = singleValue(query, 'Pwd');
  if (pwd === undefined) return invalid('EnCrypt', 'malformed-arguments');
  const fits = pwd.length >= PASSWORD_LENGTH.min && pwd.length <= PASSWORD_LENGTH.max && PRINTABLE_ASCII.test(pwd);
  return fits ? { kind: 'EnCrypt', pwd } : invalid('EnCrypt', 'password-length');
}

function parseSecureGetBasic(query: string | undefined): LegacyCommand {
  const pwd = singleValue(query, 'Pwd');
  if (pwd === undefined || pwd.length > MAX_UNUSED_PASSWORD_LENGTH) return invalid('SecureGetBasicWithParam', 'malformed-arguments');
  return { kind: 'SecureGetBasicWithParam', pwd };
}

function splitSignData(value: string | undefined): { version: string; random: string } | undefined {
  const match = value === undefined ? null : SIGN_DATA.exec(value);
  const version = match?.[1];
  const random = match?.[2];
  return version === undefined || random === undefined ? undefined : { version, random };
}

/** Decodes a base64 argument to printable ASCII text; anything else is undefined. */
function decodeBase64Text(value: string | undefined): string | undefined {
  if (value === undefined || value.length === 0 || value.length > MAX_BASE64_LENGTH || !BASE64.test(value)) return undefined;
  const unpadded = value.replace(/=+$/u, '');
  if (unpadded.length % 4 === 1 || (unpadded !== value && value.length % 4 !== 0)) return undefined;
  const bytes = Buffer.from(unpadded, 'base64');
  // Reject non-canonical encodings (stray bits in the last character) so one text has one meaning.
  if (bytes.toString('base64').replace(/=+$/u, '') !== unpadded) return undefined;
  const text = bytes.toString('latin1');
  return PRINTABLE_ASCII.test(text) ? text : undefined;
}
