/**
 * The seam between card logic and PC/SC: one connected card, one exchange at a time.
 * pcsc/ implements it over pcsclite; unit tests implement it with a strict APDU script.
 */
export interface CardSession {
  /** Sends one command APDU and resolves with the raw answer (data followed by SW1 SW2). */
  transmit(command: Uint8Array): Promise<Uint8Array>;
}
