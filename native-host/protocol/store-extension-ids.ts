/**
 * The extension IDs the stores gave our listings, read from store/extension-ids.json at build
 * time (both bundlers inline the JSON). The Chrome Web Store and Edge Add-ons assign an ID at the
 * first upload; addons.mozilla.org keeps the gecko id in our manifest. docs/publishing.md explains.
 */
import configured from '../../store/extension-ids.json' with { type: 'json' };

/** Store-assigned IDs by store; each list may be empty until the listing exists. */
export interface StoreExtensionIds {
  readonly chromeWebStore: readonly string[];
  readonly edgeAddOns: readonly string[];
  readonly firefoxAddOns: readonly string[];
}

const chromiumId = /^[a-p]{32}$/;
const geckoId = /^(?:\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|[A-Za-z0-9._+-]*@[A-Za-z0-9._-]+)$/;

function idList(config: Record<string, unknown>, key: keyof StoreExtensionIds, pattern: RegExp): string[] {
  const value = config[key];
  if (!Array.isArray(value)) throw new Error(`store/extension-ids.json: "${key}" must be a list of extension IDs`);
  return value.map((id: unknown) => {
    if (typeof id !== 'string' || !pattern.test(id)) throw new Error(`store/extension-ids.json: "${key}" holds ${JSON.stringify(id)}, which is not an extension ID of that store`);
    return id;
  });
}

/** Checks a parsed extension-ids.json: Chromium stores take 32 letters a-p, AMO a gecko id. */
export function parseStoreExtensionIds(config: unknown): StoreExtensionIds {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error('store/extension-ids.json must hold a JSON object');
  const record = config as Record<string, unknown>;
  return {
    chromeWebStore: idList(record, 'chromeWebStore', chromiumId),
    edgeAddOns: idList(record, 'edgeAddOns', chromiumId),
    firefoxAddOns: idList(record, 'firefoxAddOns', geckoId),
  };
}

/** The configured store IDs; a malformed file fails the build that imports it. */
export const STORE_EXTENSION_IDS: StoreExtensionIds = parseStoreExtensionIds(configured);
