/** Short command APDUs as the virtual card sees them (ISO 7816-4 cases 1 to 4, no extended length). */

/** A parsed short C-APDU. `le` is undefined when the command carries no Le byte; 0 means 256. */
export interface ParsedCommand {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array;
  readonly le: number | undefined;
}

/** Parses a short C-APDU, or returns undefined when its length bytes do not add up. */
export function parseCommandApdu(bytes: Uint8Array): ParsedCommand | undefined {
  const [cla, ins, p1, p2, p3] = bytes;
  if (cla === undefined || ins === undefined || p1 === undefined || p2 === undefined) return undefined;
  const header = { cla, ins, p1, p2 };
  if (p3 === undefined) return { ...header, data: new Uint8Array(0), le: undefined };
  if (bytes.length === 5) return { ...header, data: new Uint8Array(0), le: p3 };
  if (p3 === 0) return undefined; // extended length: not spoken by NHI cards
  if (bytes.length === 5 + p3) return { ...header, data: bytes.slice(5), le: undefined };
  if (bytes.length === 6 + p3) return { ...header, data: bytes.slice(5, 5 + p3), le: bytes[5 + p3] };
  return undefined;
}

/** Upper-case hex without separators, the form APDU logs use. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('').toUpperCase();
}

/** Parses hex with optional whitespace, e.g. "3B FC 18". */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`not hex: ${hex}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}
