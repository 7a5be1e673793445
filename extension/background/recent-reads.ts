/**
 * Which sites read the card and when, for the popup. Only the origin, the time and the kind of
 * read are kept — never what was read.
 */
import * as z from 'zod/mini';
import type { StorageAreaLike } from './storage-area';

const KEY = 'recentReads';
export const MAX_RECENT_READS = 20;
/**
 * How long a recorded read waits for company before it is written. Writing storage on every read
 * (a read of the stored list, then a write) put storage work beside every card command, ~2 ms
 * of a page's EnCrypt round trip in Chromium under load; one write a second is plenty for a popup.
 */
export const WRITE_DELAY_MS = 1000;

const readsSchema = z.array(z.strictObject({ origin: z.string(), at: z.number(), what: z.string() }));
export type RecentRead = z.infer<typeof readsSchema>[number];

export class RecentReads {
  readonly #area: StorageAreaLike;
  readonly #now: () => number;
  readonly #writeDelayMs: number;
  /** The list as this background knows it, newest first: read from storage once, then kept here. */
  #reads: Promise<RecentRead[]> | undefined;
  /** The next write, shared by every read recorded before it starts. */
  #nextWrite: Promise<void> | undefined;

  constructor(area: StorageAreaLike, now: () => number = () => Date.now(), options: { writeDelayMs?: number } = {}) {
    this.#area = area;
    this.#now = now;
    this.#writeDelayMs = options.writeDelayMs ?? WRITE_DELAY_MS;
  }

  /**
   * Records that `origin` received card data through `what` (readCard, GetBasic, ...), stamped
   * now. Resolves once the write that holds it has finished; callers on the read path need not
   * wait. Reads recorded within WRITE_DELAY_MS of each other go to storage in one write.
   */
  add(origin: string, what: string): Promise<void> {
    const read = { origin, at: this.#now(), what };
    const recorded = this.#loaded().then((reads) => {
      reads.unshift(read);
      reads.splice(MAX_RECENT_READS);
    });
    return recorded.then(() => this.#scheduleWrite());
  }

  /** Newest first, including reads not yet written. */
  async list(): Promise<RecentRead[]> {
    return [...(await this.#loaded())];
  }

  #loaded(): Promise<RecentRead[]> {
    if (this.#reads !== undefined) return this.#reads;
    const loading = this.#area.get(KEY).then((stored) => {
      const parsed = readsSchema.safeParse(stored[KEY] ?? []);
      return parsed.success ? parsed.data : [];
    });
    this.#reads = loading;
    // A failed read is tried again by the next caller instead of being kept.
    loading.catch(() => {
      if (this.#reads === loading) this.#reads = undefined;
    });
    return loading;
  }

  #scheduleWrite(): Promise<void> {
    this.#nextWrite ??= new Promise<void>((resolve) => {
      setTimeout(() => {
        this.#nextWrite = undefined; // Reads recorded from now on go in the write after this one.
        resolve();
      }, this.#writeDelayMs);
    }).then(() => this.#write());
    return this.#nextWrite;
  }

  async #write(): Promise<void> {
    const reads = await this.#loaded();
    await this.#area.set({ [KEY]: [...reads] });
  }
}
