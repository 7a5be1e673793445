import { describe, expect, it } from 'vitest';
import { ConsentStore, REMEMBERED_KEY, SESSION_KEY } from '../../../extension/background/consent-store';
import { READ_CARD_FIELDS, type CardField } from '../../../extension/shared/card-fields';
import { countingStorageArea } from './counting-storage-area';

const SITE = 'https://cloudicweb.nhi.gov.tw';
const OTHER = 'https://ecpa.dgpa.gov.tw';

function rememberedAllow(origin: string, fields: readonly CardField[] = READ_CARD_FIELDS) {
  return { [origin]: { allow: true, fields: [...fields], decidedAt: 1 } };
}

/** A consent store over strict counting fakes of storage.local and storage.session. */
function storeWith(initial: { remembered?: unknown; session?: unknown } = {}) {
  const local = countingStorageArea([REMEMBERED_KEY], initial.remembered === undefined ? {} : { [REMEMBERED_KEY]: initial.remembered });
  const session = countingStorageArea([SESSION_KEY], initial.session === undefined ? {} : { [SESSION_KEY]: initial.session });
  const store = new ConsentStore(local.area, session.area, () => 5);
  const reads = () => ({ remembered: local.readsOf(REMEMBERED_KEY), session: session.readsOf(SESSION_KEY) });
  return { store, local, session, reads };
}

describe('the consent store cache', () => {
  it('reads storage once, then answers every later check from memory', async () => {
    const { store, local, session, reads } = storeWith({ remembered: rememberedAllow(SITE) });
    for (let i = 0; i < 5; i++) expect(await store.verdict(SITE, READ_CARD_FIELDS)).toBe('allow');
    expect(await store.verdict(OTHER, ['name'])).toBe('ask');
    expect(await store.list()).toHaveLength(1);
    expect(reads()).toEqual({ remembered: 1, session: 1 });
    expect([...local.unexpected, ...session.unexpected]).toEqual([]);
  });

  it('lets checks that arrive together share one storage read', async () => {
    const { store, reads } = storeWith({ remembered: rememberedAllow(SITE) });
    const verdicts = await Promise.all([1, 2, 3, 4].map(() => store.verdict(SITE, ['name'])));
    expect(verdicts).toEqual(['allow', 'allow', 'allow', 'allow']);
    expect(reads()).toEqual({ remembered: 1, session: 1 });
  });

  it('keeps serving the decision it read until told that storage changed', async () => {
    const { store, local } = storeWith({ remembered: rememberedAllow(SITE) });
    expect(await store.verdict(SITE, ['name'])).toBe('allow');
    local.writeFromOutside(REMEMBERED_KEY, {});
    expect(await store.verdict(SITE, ['name'])).toBe('allow');
  });

  // What another context (the options page, a second window's prompt) writes, and the storage.onChanged that follows.
  it.each([
    { change: 'a remembered allowance revoked', area: 'local', key: REMEMBERED_KEY, value: {}, before: 'allow', after: 'ask' },
    { change: 'a remembered denial written', area: 'local', key: REMEMBERED_KEY, value: { [SITE]: { allow: false, fields: [], decidedAt: 9 } }, before: 'allow', after: 'deny' },
    { change: 'this session’s grant cleared', area: 'session', key: SESSION_KEY, value: {}, before: 'allow', after: 'ask' },
    { change: 'a session grant written', area: 'session', key: SESSION_KEY, value: { [OTHER]: ['name'] }, before: 'ask', after: 'allow', origin: OTHER },
  ] as const)('takes $change from outside on the next check after invalidate()', async ({ area, key, value, before, after, ...rest }) => {
    const origin = 'origin' in rest ? rest.origin : SITE;
    const fixture = area === 'local' ? { remembered: rememberedAllow(SITE) } : { session: { [SITE]: ['name'] } };
    const { store, local, session, reads } = storeWith(fixture);
    expect(await store.verdict(origin, ['name'])).toBe(before);
    (area === 'local' ? local : session).writeFromOutside(key, value);
    store.invalidate();
    expect(await store.verdict(origin, ['name'])).toBe(after);
    expect(reads().remembered).toBe(2);
    const afterChange = reads();
    expect(await store.verdict(origin, ['name'])).toBe(after);
    expect(reads()).toEqual(afterChange); // ...and serves from memory again.
  });

  it.each([
    { write: 'a remembered allowance', act: (store: ConsentStore) => store.record(SITE, true, ['name'], true), after: 'allow' },
    { write: 'an allowance for this session', act: (store: ConsentStore) => store.record(SITE, true, ['name'], false), after: 'allow' },
    { write: 'a remembered denial', act: (store: ConsentStore) => store.record(SITE, false, ['name'], true), after: 'deny' },
  ] as const)('drops its cache after its own write of $write', async ({ act, after }) => {
    const { store, reads } = storeWith();
    expect(await store.verdict(SITE, ['name'])).toBe('ask');
    await act(store);
    expect(await store.verdict(SITE, ['name'])).toBe(after);
    const afterWrite = reads();
    expect(await store.verdict(SITE, ['name'])).toBe(after);
    expect(reads()).toEqual(afterWrite); // ...and serves from memory again.
  });

  it('makes a revoke take effect on the very next check', async () => {
    const { store, local, session } = storeWith({ remembered: rememberedAllow(SITE), session: { [SITE]: ['name'] } });
    expect(await store.verdict(SITE, ['name'])).toBe('allow');
    await store.revoke(SITE);
    expect(await store.verdict(SITE, ['name'])).toBe('ask');
    expect(local.stored(REMEMBERED_KEY)).toEqual({});
    expect(session.stored(SESSION_KEY)).toEqual({});
  });

  it('does not change the decisions it handed out when it records a new one', async () => {
    const { store } = storeWith({ remembered: rememberedAllow(OTHER) });
    const before = await store.list();
    await store.record(SITE, true, ['name'], true);
    expect(before.map((decision) => decision.origin)).toEqual([OTHER]);
    expect((await store.list()).map((decision) => decision.origin).sort()).toEqual([OTHER, SITE].sort());
  });

  it('keeps both answers when a session grant follows another without a fresh read', async () => {
    const { store, session } = storeWith();
    await store.record(SITE, true, ['name'], false);
    await store.record(OTHER, true, ['sex'], false);
    expect(session.stored(SESSION_KEY)).toEqual({ [SITE]: ['name'], [OTHER]: ['sex'] });
  });

  it('does not keep a failed read: the next check reads storage again', async () => {
    const { store, local, reads } = storeWith({ remembered: rememberedAllow(SITE) });
    local.failNextRead(new Error('storage unavailable'));
    await expect(store.verdict(SITE, ['name'])).rejects.toThrow('storage unavailable');
    expect(await store.verdict(SITE, ['name'])).toBe('allow');
    expect(reads().remembered).toBe(2);
  });
});
