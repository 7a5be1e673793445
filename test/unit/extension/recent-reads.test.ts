import { describe, expect, it } from 'vitest';
import { MAX_RECENT_READS, RecentReads } from '../../../extension/background/recent-reads';
import { countingStorageArea, settle } from './counting-storage-area';

const KEY = 'recentReads';
const SITE = 'https://cloudicweb.nhi.gov.tw';
const OTHER = 'https://ecpa.dgpa.gov.tw';

function recentWith(initial: unknown[] = []) {
  const storage = countingStorageArea([KEY], { [KEY]: initial });
  let now = 1000;
  const recent = new RecentReads(storage.area, () => now++);
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

  it('writes the reads recorded while a write is under way together, in one more write', async () => {
    const { recent, storage } = recentWith();
    await Promise.all([recent.add(SITE, 'a'), recent.add(SITE, 'b'), recent.add(OTHER, 'c'), recent.add(SITE, 'd')]);
    // Each write reads the stored list once: 'a' went alone, the three after it together.
    expect(storage.readsOf(KEY)).toBe(2);
    expect((await recent.list()).map((read) => read.what)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('lets the popup list wait for every write started before it', async () => {
    const { recent, storage } = recentWith();
    storage.holdWrites();
    void recent.add(SITE, 'readCard');
    let listed: string[] | undefined;
    const listing = recent.list().then((reads) => (listed = reads.map((read) => read.what)));
    await settle();
    expect(listed).toBeUndefined();
    expect(storage.releaseWrites()).toBe(1);
    await listing;
    expect(listed).toEqual(['readCard']);
  });

  it('does not let a failed write lose or block the reads after it', async () => {
    const { recent, storage } = recentWith();
    storage.failNextRead(new Error('storage unavailable'));
    const failed = recent.add(SITE, 'lost');
    const next = recent.add(OTHER, 'kept');
    await expect(failed).rejects.toThrow('storage unavailable');
    await next;
    expect((await recent.list()).map((read) => read.what)).toEqual(['kept']);
  });

  it('lists nothing from corrupt stored data', async () => {
    const { recent } = recentWith([{ origin: SITE, at: 'yesterday' }]);
    expect(await recent.list()).toEqual([]);
  });
});
