/** Parsing the 57-byte basic-data record the card returns for `00 CA 11 00`. */
import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import type { BasicRecord } from './basic-record.types';
import { decodeBig5Name } from './big5-text';
import { BASIC_RECORD_LENGTH } from './nhi-apdus';
import { rocToIso } from './roc-date';

/** Where each field sits in the record: [start, end) byte offsets. */
const FIELDS = {
  cardNumber: [0, 12],
  name: [12, 32],
  idNumber: [32, 42],
  birthRoc: [42, 49],
  sex: [49, 50],
  issueRoc: [50, 57],
} as const satisfies Record<string, readonly [number, number]>;

const CARD_NUMBER = /^\d{12}$/u;
// A123456789 (citizen), A800000014 (new resident number), AB12345678 (old resident number).
const ID_NUMBER = /^[A-Z][A-Z0-9]\d{8}$/u;

/**
 * Parses the basic-data record. The length must be exactly 57 bytes: any other length means the
 * layout is not the one we know (or an exchange went wrong), and guessing would mislabel fields.
 * Every failure is InvalidCardData naming the field, never its value.
 */
export function parseBasicRecord(bytes: Uint8Array): BasicRecord {
  if (bytes.length !== BASIC_RECORD_LENGTH) {
    throw invalid(`the basic-data record is ${bytes.length} bytes where ${BASIC_RECORD_LENGTH} were expected`);
  }
  const field = (name: keyof typeof FIELDS): Uint8Array => bytes.slice(...FIELDS[name]);

  const cardNumber = ascii(field('cardNumber'));
  if (!CARD_NUMBER.test(cardNumber)) throw invalid('the card number is not 12 digits');

  const idNumber = ascii(field('idNumber'));
  if (!ID_NUMBER.test(idNumber)) throw invalid('the ID number is not in a known format');

  const sex = ascii(field('sex'));
  if (sex !== 'M' && sex !== 'F') throw invalid('sex is neither M nor F');

  const birthRoc = ascii(field('birthRoc'));
  const issueRoc = ascii(field('issueRoc'));
  const nameBytes = field('name');

  return {
    cardNumber,
    name: decodeBig5Name(nameBytes),
    idNumber,
    birthDate: rocToIso(birthRoc, 'birth date'),
    sex,
    issueDate: rocToIso(issueRoc, 'issue date'),
    birthRoc,
    issueRoc,
    nameBytes,
  };
}

/** One character per byte; non-ASCII bytes become characters the field patterns then reject. */
function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function invalid(message: string): NhiCardError {
  return new NhiCardError(ErrorCode.InvalidCardData, message);
}
