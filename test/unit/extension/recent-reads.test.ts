import { describe, expect, it } from 'vitest';
import { MAX_RECENT_READS, RecentReads } from '../../../extension/background/recent-reads';
import { countingStorageArea, settle } from './counting-storage-area';

const KEY = 'recentReads';
const SITE = 'https://cloudicweb.nhi.gov.tw';
const OTHER = 'https://ecpa.dgpa.gov.tw';

function recentWith(initial: unknown[] = []) {
  const storage = countingStorageArea([KEY], { [KEY]: initial });
  let now = 1000;
  const recent = new RecentReads(storage.area, () => now++, { writeDelayMs: 0 });
  return { recent, storage };
}

describe('recent reads', () => {
  it.each([
    { reads: 2, kept: 2 },
    { reads: 5, kept: 5 },
    { reads: MAX_RECENT_READS + 3, kept: MAX_RECENT_READS },
  ])('keeps every one of $reads reads recorded at the same time (up to the cap: $kept), newest first', async ({ reads, kept }) => {
    const { recent } = recentWith();
    await Promise.all(Array.from({ length: reads }, (_, i) => recent.add(SITE, `read-${i}`)));
    const listed = await recent.list();
    expect(listed.map((read) => read.what)).toEqual(Array.from({ length: kept }, (_, i) => `read-${reads - 1 - i}`));
    expect(listed.map((read) => read.at)).toEqual([...listed.map((read) => read.at)].sort((a, b) => b - a));
  });

  it('adds to what is already stored', async () => {
    const { recent } = recentWith([{ origin: OTHER, at: 1, what: 'GetBasic' }]);
    await Promise.all([recent.add(SITE, 'readCard'), recent.add(SITE, 'H_Sign')]);
    expect((await recent.list()).map((read) => `${read.origin} ${read.what}`)).toEqual([`${SITE} H_Sign`, `${SITE} readCard`, `${OTHER} GetBasic`]);
  });

  it('stamps a read when it is recorded, not when its write gets its turn', async () => {
    const { recent, storage } = recentWith();
    storage.holdWrites();
    const first = recent.add(SITE, 'first');
    const second = recent.add(SITE, 'second');
    await settle();
    storage.releaseWrites();
    await Promise.all([first, second]);
    expect((await recent.list()).map((read) => [read.what, read.at])).toEqual([['second', 1001], ['first', 1000]]);
  });

  it('reads storage once, and writes the reads recorded together in one write', async () => {
    const { recent, storage } = recentWith();
    await Promise.all([recent.add(SITE, 'a'), recent.add(SITE, 'b'), recent.add(OTHER, 'c'), recent.add(SITE, 'd')]);
    await recent.add(SITE, 'e');
    expect(storage.readsOf(KEY)).toBe(1);
    expect((storage.stored(KEY) as { what: string }[]).map((read) => read.what)).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('waits before writing, so a burst of reads costs one write', async () => {
    const storage = countingStorageArea([KEY], { [KEY]: [] });
    const recent = new RecentReads(storage.area, () => 1, { writeDelayMs: 50 });
    const written = recent.add(SITE, 'a');
    await settle();
    expect(storage.stored(KEY)).toEqual([]);
    await Promise.all([written, recent.add(SITE, 'b')]);
    expect((storage.stored(KEY) as { what: string }[]).map((read) => read.what)).toEqual(['b', 'a']);
  });

  it('lists a read before its write has finished', async () => {
    const { recent, storage } = recentWith();
    storage.holdWrites();
    const written = recent.add(SITE, 'readCard');
    await new Promise((resolve) => setTimeout(resolve, 10)); // The write has started and is held.
    expect((await recent.list()).map((read) => read.what)).toEqual(['readCard']);
    expect(storage.stored(KEY)).toEqual([]);
    expect(storage.releaseWrites()).toBe(1);
    await written;
  });

  it('does not let a failed storage read block the reads after it', async () => {
    const { recent, storage } = recentWith([{ origin: OTHER, at: 1, what: 'GetBasic' }]);
    storage.failNextRead(new Error('storage unavailable'));
    await expect(recent.add(SITE, 'lost')).rejects.toThrow('storage unavailable');
    await recent.add(SITE, 'kept');
    expect((await recent.list()).map((read) => read.what)).toEqual(['kept', 'GetBasic']);
  });

  it('lists nothing from corrupt stored data', async () => {
    const { recent } = recentWith([{ origin: SITE, at: 'yesterday' }]);
    expect(await recent.list()).toEqual([]);
  });
});
