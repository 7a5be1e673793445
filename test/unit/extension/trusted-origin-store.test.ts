import { describe, expect, it } from 'vitest';
import { MANAGED_KEY, TrustedOriginStore, USER_ORIGINS_KEY, type ManagedAreaLike } from '../../../extension/background/trusted-origin-store';
import { countingStorageArea, settle } from './counting-storage-area';

const CLINIC = 'https://clinic.example.tw';
const CITY = 'https://city.example.gov.tw';
const HOSPITAL = 'https://hospital.example.tw';

/** A store over strict counting fakes of storage.local and storage.managed. */
function storeWith(initial: { user?: string[]; managed?: string[] } = {}) {
  const local = countingStorageArea([USER_ORIGINS_KEY], initial.user === undefined ? {} : { [USER_ORIGINS_KEY]: initial.user });
  const managed = countingStorageArea([MANAGED_KEY], initial.managed === undefined ? {} : { [MANAGED_KEY]: initial.managed });
  const store = new TrustedOriginStore(local.area, managed.area);
  const reads = () => ({ user: local.readsOf(USER_ORIGINS_KEY), managed: managed.readsOf(MANAGED_KEY) });
  return { store, local, managed, reads };
}

describe('the trusted-origin store cache', () => {
  it('reads both lists once, then answers every request from memory', async () => {
    const { store, local, managed, reads } = storeWith({ user: [CLINIC], managed: [CITY] });
    for (let i = 0; i < 5; i++) expect(await store.lists()).toEqual({ user: [CLINIC], managed: [CITY] });
    expect(reads()).toEqual({ user: 1, managed: 1 });
    expect([...local.unexpected, ...managed.unexpected]).toEqual([]);
  });

  it('lets requests that arrive together share one storage read', async () => {
    const { store, reads } = storeWith({ user: [CLINIC] });
    await Promise.all([1, 2, 3].map(() => store.lists()));
    expect(reads()).toEqual({ user: 1, managed: 1 });
  });

  it('keeps serving the lists it read until told that storage changed', async () => {
    const { store, local } = storeWith({ user: [CLINIC] });
    await store.lists();
    local.writeFromOutside(USER_ORIGINS_KEY, []);
    expect((await store.lists()).user).toEqual([CLINIC]);
  });

  // What another context or an administrator writes, and the storage.onChanged that follows.
  it.each([
    { change: 'a site the user added elsewhere', list: 'user', value: [CLINIC, HOSPITAL], expected: { user: [CLINIC, HOSPITAL], managed: [CITY] } },
    { change: 'a site the user removed elsewhere', list: 'user', value: [], expected: { user: [], managed: [CITY] } },
    { change: 'a policy that adds a site', list: 'managed', value: [CITY, HOSPITAL], expected: { user: [CLINIC], managed: [CITY, HOSPITAL] } },
    { change: 'a policy that withdraws a site', list: 'managed', value: [], expected: { user: [CLINIC], managed: [] } },
  ] as const)('takes $change on the next request after invalidate()', async ({ list, value, expected }) => {
    const { store, local, managed } = storeWith({ user: [CLINIC], managed: [CITY] });
    await store.lists();
    if (list === 'user') local.writeFromOutside(USER_ORIGINS_KEY, value);
    else managed.writeFromOutside(MANAGED_KEY, value);
    store.invalidate();
    expect(await store.lists()).toEqual(expected);
  });

  it.each([
    { write: 'adding a site', act: (store: TrustedOriginStore) => store.addUser(`${HOSPITAL}/`), user: [CLINIC, HOSPITAL] },
    { write: 'removing a site', act: (store: TrustedOriginStore) => store.removeUser(CLINIC), user: [] },
  ] as const)('drops its cache after its own write: $write', async ({ act, user }) => {
    const { store, local, reads } = storeWith({ user: [CLINIC] });
    await store.lists();
    await act(store);
    expect((await store.lists()).user).toEqual(user);
    expect(local.stored(USER_ORIGINS_KEY)).toEqual(user);
    const afterWrite = reads();
    await store.lists();
    expect(reads()).toEqual(afterWrite); // ...and serves from memory again.
  });

  it('keeps the cache when adding a site changes nothing (built in, or already listed)', async () => {
    const { store, reads } = storeWith({ user: [CLINIC] });
    await store.lists();
    await store.addUser('https://cloudicweb.nhi.gov.tw');
    await store.addUser(CLINIC);
    await store.lists();
    expect(reads().managed).toBe(1);
  });

  it('does not keep a failed read: the next request reads storage again', async () => {
    const { store, local, reads } = storeWith({ user: [CLINIC] });
    local.failNextRead(new Error('storage unavailable'));
    await expect(store.lists()).rejects.toThrow('storage unavailable');
    expect((await store.lists()).user).toEqual([CLINIC]);
    expect(reads().user).toBe(2);
  });

  it('treats an unreadable policy area (Firefox without a policy) as no policy, until told otherwise', async () => {
    const { store, managed } = storeWith({ user: [CLINIC] });
    managed.failNextRead(new Error('Managed storage manifest not found'));
    expect(await store.lists()).toEqual({ user: [CLINIC], managed: [] });
    managed.writeFromOutside(MANAGED_KEY, [CITY]);
    store.invalidate();
    expect(await store.lists()).toEqual({ user: [CLINIC], managed: [CITY] });
  });
});

/**
 * storage.managed as Chromium serves it in its first seconds: no read is answered until the
 * policy machinery is ready (here: until the test calls `release`).
 */
function heldManagedArea(policy: string[]) {
  let reads = 0;
  let released = false;
  const waiting: (() => void)[] = [];
  const area: ManagedAreaLike = {
    get: (key) => {
      reads += 1;
      return new Promise((resolve) => {
        const answer = () => {
          resolve({ [key]: policy });
        };
        if (released) answer();
        else waiting.push(answer);
      });
    },
  };
  return {
    area,
    reads: () => reads,
    /** Answers the reads waiting now and every later one. */
    release: () => {
      released = true;
      for (const answer of waiting.splice(0)) answer();
    },
  };
}

describe('judging a frame origin while the policy list is not yet readable', () => {
  function heldStore(user: string[], policy: string[]) {
    const local = countingStorageArea([USER_ORIGINS_KEY], { [USER_ORIGINS_KEY]: user });
    const managed = heldManagedArea(policy);
    return { store: new TrustedOriginStore(local.area, managed.area), local, managed };
  }

  it('trusts a built-in origin without reading storage at all', async () => {
    const { store, local, managed } = heldStore([CLINIC], [CITY]);
    expect(await store.isTrusted('https://cloudicweb.nhi.gov.tw')).toBe(true);
    expect({ local: local.readsOf(USER_ORIGINS_KEY), managed: managed.reads() }).toEqual({ local: 0, managed: 0 });
  });

  it('trusts a user-added origin from storage.local alone', async () => {
    const { store, managed } = heldStore([CLINIC], [CITY]);
    expect(await store.isTrusted(CLINIC)).toBe(true);
    expect(managed.reads()).toBe(0);
  });

  it('lets only an origin that a policy alone adds wait for the policy list', async () => {
    const { store, managed } = heldStore([CLINIC], [CITY]);
    let verdict: boolean | undefined;
    const judged = store.isTrusted(CITY).then((value) => (verdict = value));
    await settle();
    expect(verdict).toBeUndefined();
    managed.release();
    await judged;
    expect(verdict).toBe(true);
  });

  it('refuses an origin on no list once the policy list is read, and a non-canonical spelling of a built-in one', async () => {
    const { store, managed } = heldStore([CLINIC], [CITY]);
    const judged = Promise.all([store.isTrusted(HOSPITAL), store.isTrusted('https://CLOUDICWEB.nhi.gov.tw:443')]);
    managed.release();
    expect(await judged).toEqual([false, false]);
  });

  it('reads the policy list in the background once asked to prefetch, and only once', async () => {
    const { store, managed } = heldStore([], [CITY]);
    store.prefetch();
    const judged = store.isTrusted(CITY);
    managed.release();
    expect(await judged).toBe(true);
    expect(managed.reads()).toBe(1);
  });
});
