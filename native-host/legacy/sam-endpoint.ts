/** Where and how patiently to reach the NHI SAM service. */
import { OFFICIAL_SAM_SERVICE } from '../protocol/nhiicc';

/** A SAM service address as a page or a setting names it: a host name or IP literal, and a port. */
export interface SamAddress {
  readonly host: string;
  readonly port: number;
}

/** A SAM service endpoint; plain TCP, not TLS, whatever the port suggests. */
export interface SamEndpoint extends SamAddress {
  /** Give up connecting after this long (default {@link DEFAULT_CONNECT_TIMEOUT_MS}). */
  readonly connectTimeoutMs?: number;
  /** Give up waiting for any one answer after this long (default {@link DEFAULT_READ_TIMEOUT_MS}). */
  readonly readTimeoutMs?: number;
  /**
   * When non-empty, the handshake accepts only a server key whose SHA-256 (over its DER
   * SubjectPublicKeyInfo, lower-case hex) is listed here.
   */
  readonly serverKeySha256?: readonly string[];
}

/** The official service. */
export const DEFAULT_SAM_ENDPOINT: SamEndpoint = OFFICIAL_SAM_SERVICE;

/** Long enough for a slow network, short enough that a page's own timeout has not given up. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** The service signs through a hardware SAM; a few seconds per answer is normal. */
export const DEFAULT_READ_TIMEOUT_MS = 15_000;

/** True when `a` and `b` name the same address: the same text (host names ignore case) and port. */
export function sameSamAddress(a: SamAddress, b: SamAddress): boolean {
  return a.port === b.port && a.host.toLowerCase() === b.host.toLowerCase();
}
