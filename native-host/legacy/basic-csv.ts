/**
 * The GetBasic CSV: `<card no>,<ID>,<name>,<birth ROC>,<sex>,<termination flag>` (the issue date
 * is not included). Built both as text (the GetBasic reply) and as the exact Big5 bytes
 * SecureGetBasic encrypts, the latter straight from the card's name bytes so no Big5 encoder is
 * needed and nothing is lost in a decode/encode round trip.
 */
import type { BasicRecord } from '../card/basic-record.types';

/** What the CSV is built from: the parsed record and the HC termination flag. */
export interface BasicCsvSource {
  readonly record: BasicRecord;
  readonly terminationFlag: string;
}

/** The GetBasic reply payload (text). */
export function basicCsvText({ record, terminationFlag }: BasicCsvSource): string {
  return [record.cardNumber, record.idNumber, record.name, record.birthRoc, record.sex, terminationFlag].join(',');
}

/** The same CSV as Big5 bytes: ASCII fields as they are, the name as its trimmed card bytes. */
export function basicCsvBytes({ record, terminationFlag }: BasicCsvSource): Uint8Array {
  const ascii = (text: string): number[] => Array.from(text, (character) => character.charCodeAt(0) & 0xff);
  const comma = 0x2c;
  return Uint8Array.from([
    ...ascii(record.cardNumber),
    comma,
    ...ascii(record.idNumber),
    comma,
    ...trimBig5Name(record.nameBytes),
    comma,
    ...ascii(record.birthRoc),
    comma,
    ...ascii(record.sex),
    comma,
    ...ascii(terminationFlag),
  ]);
}

const NUL = 0x00;
const SPACE = 0x20;
const FULL_WIDTH_SPACE = [0xa1, 0x40] as const;

/**
 * The name field without its padding, trimmed the way the text name is (card/big5-text.ts): stop
 * at the first NUL, drop a lead byte left alone by truncation, drop trailing ASCII and full-width
 * spaces. Characters are walked from the start because a Big5 trail byte can look like a lead byte.
 */
export function trimBig5Name(field: Uint8Array): Uint8Array {
  const firstNul = field.indexOf(NUL);
  const text = firstNul === -1 ? field : field.subarray(0, firstNul);
  const characters: Uint8Array[] = [];
  for (let index = 0; index < text.length; ) {
    const lead = text[index] ?? 0;
    const width = lead >= 0x81 && lead <= 0xfe ? 2 : 1;
    if (index + width > text.length) break; // a dangling lead byte cut off by truncation
    characters.push(text.subarray(index, index + width));
    index += width;
  }
  while (characters.length > 0 && isPadding(characters[characters.length - 1])) characters.pop();
  return Uint8Array.from(characters.flatMap((character) => [...character]));
}

function isPadding(character: Uint8Array | undefined): boolean {
  if (character === undefined) return false;
  if (character.length === 1) return character[0] === SPACE;
  return character[0] === FULL_WIDTH_SPACE[0] && character[1] === FULL_WIDTH_SPACE[1];
}
