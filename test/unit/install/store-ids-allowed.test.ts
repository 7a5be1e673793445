/** With store IDs configured, the host manifests and the host's own allowlist take them all. */
import { describe, expect, it, vi } from 'vitest';
import { allowedCallers, isAllowedCaller } from '../../../native-host/host/caller';
import { buildHostManifest } from '../../../native-host/install/host-manifest';
import { CHROME_EXTENSION_ID, GECKO_EXTENSION_ID } from '../../../native-host/protocol/extension-ids';

const { CHROME_STORE_ID, EDGE_STORE_ID, AMO_ID } = vi.hoisted(() => ({
  CHROME_STORE_ID: 'abcdefghijklmnopabcdefghijklmnop',
  EDGE_STORE_ID: 'ponmlkjihgfedcbaponmlkjihgfedcba',
  AMO_ID: '{12345678-abcd-4bcd-8bcd-123456789abc}',
}));

vi.mock('../../../store/extension-ids.json', () => ({
  default: { chromeWebStore: [CHROME_STORE_ID], edgeAddOns: [EDGE_STORE_ID], firefoxAddOns: [AMO_ID] },
}));

describe('store IDs from store/extension-ids.json', () => {
  it('are allowed in the Chromium-family host manifest after the development ID', () => {
    expect(buildHostManifest('chromium', '/x')).toMatchObject({
      allowed_origins: [CHROME_EXTENSION_ID, CHROME_STORE_ID, EDGE_STORE_ID].map((id) => `chrome-extension://${id}/`),
    });
  });

  it('are allowed in the Firefox host manifest after the manifest gecko id', () => {
    expect(buildHostManifest('firefox', '/x')).toMatchObject({ allowed_extensions: [GECKO_EXTENSION_ID, AMO_ID] });
  });

  it('are callers the host serves, and nothing else is', () => {
    const allowed = allowedCallers({});
    for (const id of [CHROME_EXTENSION_ID, CHROME_STORE_ID, EDGE_STORE_ID, GECKO_EXTENSION_ID, AMO_ID]) expect(isAllowedCaller(id, allowed), id).toBe(true);
    expect(isAllowedCaller('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', allowed)).toBe(false);
  });
});
