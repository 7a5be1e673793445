import { describe, expect, it } from 'vitest';
import { ConsentStore } from '../../../extension/background/consent-store';
import { memoryStorageArea } from '../../../extension/background/storage-area';
import { READ_CARD_FIELDS } from '../../../extension/shared/card-fields';

const SITE = 'https://cloudicweb.nhi.gov.tw';
const OTHER = 'https://ecpa.dgpa.gov.tw';

describe('session grants (an "allow" without "remember")', () => {
  it('are listed with their fields, apart from remembered decisions', async () => {
    const store = new ConsentStore(memoryStorageArea(), memoryStorageArea());
    await store.record(SITE, true, READ_CARD_FIELDS, false);
    await store.record(OTHER, true, ['cardAuthentication'], true);

    expect(await store.listSession()).toEqual([{ origin: SITE, fields: [...READ_CARD_FIELDS] }]);
    expect((await store.list()).map((decision) => decision.origin)).toEqual([OTHER]);
  });

  it('grow with each allowance and list each site once', async () => {
    const store = new ConsentStore(memoryStorageArea(), memoryStorageArea());
    await store.record(SITE, true, ['name'], false);
    await store.record(SITE, true, ['cardAuthentication'], false);
    expect(await store.listSession()).toEqual([{ origin: SITE, fields: ['name', 'cardAuthentication'] }]);
  });

  it('are gone after a revoke, and the site is asked again', async () => {
    const store = new ConsentStore(memoryStorageArea(), memoryStorageArea());
    await store.record(SITE, true, READ_CARD_FIELDS, false);
    await store.record(OTHER, true, READ_CARD_FIELDS, false);

    await store.revoke(SITE);

    expect((await store.listSession()).map((grant) => grant.origin)).toEqual([OTHER]);
    expect(await store.verdict(SITE, READ_CARD_FIELDS)).toBe('ask');
    expect(await store.verdict(OTHER, READ_CARD_FIELDS)).toBe('allow');
  });
});
