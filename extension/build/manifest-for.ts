/**
 * Derives each browser's manifest from the source manifest.json and the typed constants, so the
 * extension key, gecko id and trusted origins are written in exactly one place each.
 */
import { CHROME_EXTENSION_KEY, GECKO_EXTENSION_ID } from '../../native-host/protocol/extension-ids';
import { BUILT_IN_ORIGINS, matchPatternFor } from '../shared/trusted-origins';
import { LOOPBACK_RULESET_ID, LOOPBACK_RULESET_PATH } from '../shared/loopback-block-rules';

export type BuildTarget = 'chrome' | 'firefox';

/** The source manifest's shape, as far as the derivation reads or writes it. */
export interface SourceManifest {
  readonly manifest_version: number;
  readonly background: { readonly service_worker: string; readonly type?: string };
  readonly content_scripts: readonly Readonly<Record<string, unknown>>[];
  readonly [key: string]: unknown;
}

/** `world: MAIN` content scripts and data_collection_permissions both need recent Firefox; 140 is an ESR. */
export const FIREFOX_MIN_VERSION = '140.0';

/** Manifest keys Firefox does not know; it warns about each. */
const CHROME_ONLY_KEYS = ['key', 'minimum_chrome_version', 'storage'] as const;

/** The manifest for one browser, as a plain JSON object. */
export function manifestFor(target: BuildTarget, source: SourceManifest, version: string): Record<string, unknown> {
  const matches = BUILT_IN_ORIGINS.map((entry) => matchPatternFor(entry.origin));
  const common: Record<string, unknown> = {
    ...source,
    version,
    content_scripts: source.content_scripts.map((script) => ({ ...script, matches })),
    // The loopback backstop (extension/shared/loopback-block-rules.ts), written by the build.
    declarative_net_request: { rule_resources: [{ id: LOOPBACK_RULESET_ID, enabled: true, path: LOOPBACK_RULESET_PATH }] },
  };
  if (target === 'chrome') return { ...common, key: CHROME_EXTENSION_KEY };

  const firefox: Record<string, unknown> = {
    ...common,
    background: { scripts: [source.background.service_worker], ...(source.background.type === undefined ? {} : { type: source.background.type }) },
    browser_specific_settings: {
      gecko: {
        id: GECKO_EXTENSION_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // The extension sends nothing to us or to third parties; card data goes only to the page
        // the user allowed, on the user's request. docs/trusted-origins.md explains.
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
  for (const key of CHROME_ONLY_KEYS) Reflect.deleteProperty(firefox, key);
  return firefox;
}
