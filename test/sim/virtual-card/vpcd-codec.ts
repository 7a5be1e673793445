/**
 * The vpcd wire format, pure over bytes: every message is a 2-byte big-endian length followed by
 * that many payload bytes. A 1-byte payload is a control code; anything longer is an APDU.
 */

/** Control codes vpcd sends as 1-byte payloads. */
export const VpcdControl = {
  powerOff: 0,
  powerOn: 1,
  reset: 2,
  getAtr: 4,
} as const;

export type VpcdControlCode = (typeof VpcdControl)[keyof typeof VpcdControl];

/** One decoded vpcd message: a control code or a command APDU. */
export type VpcdMessage =
  | { readonly kind: 'control'; readonly code: number }
  | { readonly kind: 'apdu'; readonly command: Uint8Array };

/** The largest payload a 2-byte length can describe. */
export const MAX_VPCD_PAYLOAD = 0xffff;

/** Frames one payload (an ATR or an R-APDU) for the wire. */
export function encodeVpcdFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_VPCD_PAYLOAD) {
    throw new RangeError(`vpcd payload too long: ${payload.length} bytes`);
  }
  const frame = new Uint8Array(2 + payload.length);
  frame[0] = payload.length >> 8;
  frame[1] = payload.length & 0xff;
  frame.set(payload, 2);
  return frame;
}

/** Classifies one payload received from vpcd. */
export function classifyVpcdPayload(payload: Uint8Array): VpcdMessage {
  const first = payload[0];
  if (payload.length === 1 && first !== undefined) {
    return { kind: 'control', code: first };
  }
  return { kind: 'apdu', command: payload };
}

/**
 * Reassembles vpcd messages from a TCP byte stream: vpcd writes the length and the payload
 * separately, so a message may arrive split across chunks or several may arrive together.
 */
export class VpcdFrameDecoder {
  private buffered: Uint8Array = new Uint8Array(0);

  /** Appends received bytes and returns every message now complete, in order. */
  push(chunk: Uint8Array): VpcdMessage[] {
    const joined = new Uint8Array(this.buffered.length + chunk.length);
    joined.set(this.buffered, 0);
    joined.set(chunk, this.buffered.length);
    const messages: VpcdMessage[] = [];
    let offset = 0;
    for (;;) {
      const high = joined[offset];
      const low = joined[offset + 1];
      if (high === undefined || low === undefined) break;
      const length = (high << 8) | low;
      if (joined.length - offset - 2 < length) break;
      messages.push(classifyVpcdPayload(joined.slice(offset + 2, offset + 2 + length)));
      offset += 2 + length;
    }
    this.buffered = joined.slice(offset);
    return messages;
  }

  /** Bytes received but not yet forming a whole message. */
  get pendingBytes(): number {
    return this.buffered.length;
  }
}
