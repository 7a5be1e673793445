/**
 * Which sites read the card and when, for the popup. Only the origin, the time and the kind of
 * read are kept — never what was read.
 */
import * as z from 'zod/mini';
import type { StorageAreaLike } from './storage-area';

const KEY = 'recentReads';
export const MAX_RECENT_READS = 20;

const readsSchema = z.array(z.strictObject({ origin: z.string(), at: z.number(), what: z.string() }));
export type RecentRead = z.infer<typeof readsSchema>[number];

export class RecentReads {
  readonly #area: StorageAreaLike;
  readonly #now: () => number;
  /** Reads recorded but not yet taken by a write, newest first. */
  #queued: RecentRead[] = [];
  /** The latest write, settled either way; undefined once it has finished. */
  #last: Promise<void> | undefined;
  /** A write queued behind `#last` that has not taken its reads yet: later reads join it. */
  #waiting: Promise<void> | undefined;

  constructor(area: StorageAreaLike, now: () => number = () => Date.now()) {
    this.#area = area;
    this.#now = now;
  }

  /**
   * Records that `origin` received card data through `what` (readCard, GetBasic, ...). Callers on
   * the read path need not wait: list() waits for every write started before it. Writes run one
   * after another, so concurrent reads never lose each other's entries, and the reads recorded
   * while one write is under way go to storage together in the next (a burst of reads costs two
   * writes, not one each).
   */
  add(origin: string, what: string): Promise<void> {
    this.#queued.unshift({ origin, at: this.#now(), what });
    if (this.#waiting !== undefined) return this.#waiting;
    const previous = this.#last;
    const write = previous === undefined ? this.#writeQueued() : previous.then(() => this.#writeQueued());
    if (previous !== undefined) this.#waiting = write;
    const settled = write.catch(() => undefined);
    this.#last = settled;
    void settled.then(() => {
      if (this.#last === settled) this.#last = undefined;
    });
    return write;
  }

  /** Newest first. */
  async list(): Promise<RecentRead[]> {
    await this.#last;
    return this.#stored();
  }

  async #writeQueued(): Promise<void> {
    const batch = this.#queued;
    this.#queued = [];
    this.#waiting = undefined;
    const reads = [...batch, ...(await this.#stored())].slice(0, MAX_RECENT_READS);
    await this.#area.set({ [KEY]: reads });
  }

  async #stored(): Promise<RecentRead[]> {
    const parsed = readsSchema.safeParse((await this.#area.get(KEY))[KEY] ?? []);
    return parsed.success ? parsed.data : [];
  }
}
