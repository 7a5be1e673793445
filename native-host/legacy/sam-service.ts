/**
 * The host's one view of the SAM service: the endpoint H_Sign uses, the allowlist that bounds what
 * H_SignIPAndPort may name, and the gate that keeps SAM exchanges to one at a time host-wide.
 * A page can never make the host connect anywhere the administrator did not list.
 */
import { LegacyFailure } from './legacy-error-codes';
import { LegacyCode } from '../protocol/nhiicc';
import { DEFAULT_SAM_ENDPOINT, sameSamAddress, type SamAddress, type SamEndpoint } from './sam-endpoint';
import { SamGate } from './sam-gate';

/** How the host is configured to reach the SAM service. */
export interface SamSettings {
  /** What H_Sign connects to (and H_SignIPAndPort may name). */
  readonly endpoint: SamEndpoint;
  /** Further addresses H_SignIPAndPort may name, besides `endpoint` and the official service. */
  readonly alsoAllowed?: readonly SamAddress[];
}

export class SamService {
  /** What H_Sign connects to. */
  readonly endpoint: SamEndpoint;
  private readonly allowed: readonly SamAddress[];
  private readonly gate = new SamGate();

  constructor(settings: SamSettings) {
    this.endpoint = settings.endpoint;
    this.allowed = [DEFAULT_SAM_ENDPOINT, settings.endpoint, ...(settings.alsoAllowed ?? [])];
  }

  /**
   * The endpoint for an address a page named (H_SignIPAndPort), with this host's timeouts and key
   * pins. An address off the allowlist is refused with 4061 before any connection is attempted:
   * the same code as an unreachable service, so the answer says nothing about the address.
   */
  endpointFor(address: SamAddress): SamEndpoint {
    if (!this.allowed.some((entry) => sameSamAddress(entry, address))) {
      throw new LegacyFailure(LegacyCode.SamUnreachable, 'the SAM endpoint is not on the allowlist');
    }
    return { ...this.endpoint, host: address.host, port: address.port };
  }

  /** Runs one whole SAM exchange (health check and card authentication) when no other runs. */
  exclusive<T>(exchange: () => Promise<T>): Promise<T> {
    return this.gate.run(exchange);
  }
}
