/** Builds synthetic 57-byte basic-data records for tests. All data is made up. */
import iconv from 'iconv-lite';

/** The fields of a synthetic record; `nameBytes` wins over `name` when both are given. */
export interface RecordFields {
  readonly cardNumber: string;
  /** Encoded as Big5-HKSCS and NUL-padded to 20 bytes. */
  readonly name: string;
  /** The exact 20 name bytes, for padding and truncation cases. */
  readonly nameBytes?: Uint8Array;
  readonly idNumber: string;
  readonly birthRoc: string;
  readonly sex: string;
  readonly issueRoc: string;
}

/** A plain, valid holder: 陳小明, born 1991-01-01, card issued 2020-06-15. */
export const ORDINARY: RecordFields = {
  cardNumber: '000012345678',
  name: '陳小明',
  idNumber: 'A123456789',
  birthRoc: '0800101',
  sex: 'M',
  issueRoc: '1090615',
};

/** `text` as Big5-HKSCS bytes. */
export function big5(text: string): Uint8Array {
  return Uint8Array.from(iconv.encode(text, 'big5hkscs'));
}

/** `bytes` followed by `fill` up to `length` bytes (no truncation: fixtures must say what they mean). */
export function padTo(bytes: Uint8Array, length: number, fill = 0x00): Uint8Array {
  if (bytes.length > length) throw new Error(`fixture is ${bytes.length} bytes, longer than ${length}`);
  const padded = new Uint8Array(length).fill(fill);
  padded.set(bytes);
  return padded;
}

/** A 57-byte record with `overrides` applied to the ordinary holder. */
export function buildRecord(overrides: Partial<RecordFields> = {}): Uint8Array {
  const fields = { ...ORDINARY, ...overrides };
  if (fields.nameBytes !== undefined && fields.nameBytes.length !== 20) throw new Error('fixture name bytes must be exactly 20');
  const ascii = (text: string, length: number): Uint8Array => padTo(Uint8Array.from(text, (char) => char.charCodeAt(0)), length);
  const parts = [
    ascii(fields.cardNumber, 12),
    fields.nameBytes ?? padTo(big5(fields.name), 20),
    ascii(fields.idNumber, 10),
    ascii(fields.birthRoc, 7),
    ascii(fields.sex, 1),
    ascii(fields.issueRoc, 7),
  ];
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}
