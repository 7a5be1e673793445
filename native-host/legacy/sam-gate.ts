/**
 * At most one SAM exchange at a time in the host, so a page cannot fan H_Sign out into many
 * connections. Later exchanges queue behind it; past MAX_WAITING they are refused at once.
 */
import { SerialQueue } from '../pcsc/serial-queue';
import { LegacyFailure } from './legacy-error-codes';
import { LegacyCode } from '../protocol/nhiicc';

/** Exchanges that may wait behind the running one; more is a page hammering H_Sign. */
export const MAX_WAITING_EXCHANGES = 3;

export class SamGate {
  private readonly queue = new SerialQueue();
  /** Exchanges queued or running. */
  private pending = 0;

  /** Runs `exchange` when no other exchange runs; refuses (4061) when too many already wait. */
  async run<T>(exchange: () => Promise<T>): Promise<T> {
    if (this.pending > MAX_WAITING_EXCHANGES) {
      throw new LegacyFailure(LegacyCode.SamUnreachable, 'too many H_Sign requests are waiting for the SAM service');
    }
    this.pending++;
    try {
      return await this.queue.run(exchange);
    } finally {
      this.pending--;
    }
  }
}
