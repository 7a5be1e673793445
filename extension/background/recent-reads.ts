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
  /** Writes run one after another, so concurrent reads never lose each other's entries. */
  #writes: Promise<void> = Promise.resolve();

  constructor(area: StorageAreaLike, now: () => number = () => Date.now()) {
    this.#area = area;
    this.#now = now;
  }

  /**
   * Records that `origin` received card data through `what` (readCard, GetBasic, ...). Callers on
   * the read path need not wait: list() waits for every write started before it.
   */
  add(origin: string, what: string): Promise<void> {
    const entry = { origin, at: this.#now(), what };
    const write = this.#writes.then(async () => {
      const reads = [entry, ...(await this.#stored())].slice(0, MAX_RECENT_READS);
      await this.#area.set({ [KEY]: reads });
    });
    this.#writes = write.catch(() => undefined);
    return write;
  }

  /** Newest first. */
  async list(): Promise<RecentRead[]> {
    await this.#writes;
    return this.#stored();
  }

  async #stored(): Promise<RecentRead[]> {
    const parsed = readsSchema.safeParse((await this.#area.get(KEY))[KEY] ?? []);
    return parsed.success ? parsed.data : [];
  }
}
