/** Where and how patiently to reach the NHI SAM service. */

/** A SAM service endpoint; plain TCP, not TLS, whatever the port suggests. */
export interface SamEndpoint {
  readonly host: string;
  readonly port: number;
  /** Give up connecting after this long (default {@link DEFAULT_CONNECT_TIMEOUT_MS}). */
  readonly connectTimeoutMs?: number;
  /** Give up waiting for any one answer after this long (default {@link DEFAULT_READ_TIMEOUT_MS}). */
  readonly readTimeoutMs?: number;
}

/** The official service. */
export const DEFAULT_SAM_ENDPOINT: SamEndpoint = { host: 'cloudicap.nhi.gov.tw', port: 443 };

/** Long enough for a slow network, short enough that a page's own timeout has not given up. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** The service signs through a hardware SAM; a few seconds per answer is normal. */
export const DEFAULT_READ_TIMEOUT_MS = 15_000;
