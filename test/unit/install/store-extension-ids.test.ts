import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStoreExtensionIds, STORE_EXTENSION_IDS } from '../../../native-host/protocol/store-extension-ids';

const CHROME_STORE_ID = 'abcdefghijklmnopabcdefghijklmnop';

describe('parseStoreExtensionIds', () => {
  it('takes Chromium store IDs and gecko ids, each list possibly empty', () => {
    const config = { chromeWebStore: [CHROME_STORE_ID], edgeAddOns: [], firefoxAddOns: ['{12345678-abcd-4bcd-8bcd-123456789abc}', 'x@y.tw'] };
    expect(parseStoreExtensionIds(config)).toEqual(config);
  });

  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    [{ edgeAddOns: [], firefoxAddOns: [] }, /"chromeWebStore" must be a list/],
    [{ chromeWebStore: 'abc', edgeAddOns: [], firefoxAddOns: [] }, /"chromeWebStore" must be a list/],
    [{ chromeWebStore: ['ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP'], edgeAddOns: [], firefoxAddOns: [] }, /"chromeWebStore" holds "ABCD/],
    [{ chromeWebStore: [], edgeAddOns: ['qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq'], firefoxAddOns: [] }, /"edgeAddOns" holds/],
    [{ chromeWebStore: [], edgeAddOns: [], firefoxAddOns: [CHROME_STORE_ID] }, /"firefoxAddOns" holds/],
    [{ chromeWebStore: [], edgeAddOns: [], firefoxAddOns: [7] }, /"firefoxAddOns" holds 7/],
  ])('refuses %j with a clear error', (config, message) => {
    expect(() => parseStoreExtensionIds(config)).toThrow(message);
  });

  it('accepts the committed store/extension-ids.json', () => {
    const committed: unknown = JSON.parse(readFileSync(new URL('../../../store/extension-ids.json', import.meta.url), 'utf8'));
    expect(parseStoreExtensionIds(committed)).toEqual(STORE_EXTENSION_IDS);
  });
});
