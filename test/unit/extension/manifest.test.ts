import { describe, expect, it } from 'vitest';
import sourceManifest from '../../../manifest.json' with { type: 'json' };
import { manifestFor } from '../../../extension/build/manifest-for';
import { CHROME_EXTENSION_KEY, GECKO_EXTENSION_ID } from '../../../native-host/protocol/extension-ids';
import { BUILT_IN_ORIGINS } from '../../../extension/shared/trusted-origins';

const matches = BUILT_IN_ORIGINS.map((entry) => `${entry.origin}/*`);

describe('the derived manifests', () => {
  it('fixes the Chromium ID with the key and runs content scripts only on the built-in origins', () => {
    const chrome = manifestFor('chrome', sourceManifest, '1.2.3');
    expect(chrome.key).toBe(CHROME_EXTENSION_KEY);
    expect(chrome.version).toBe('1.2.3');
    const scripts = chrome.content_scripts as { matches: string[]; run_at: string; world: string }[];
    expect(scripts.map((script) => [script.world, script.run_at])).toEqual([
      ['MAIN', 'document_start'],
      ['ISOLATED', 'document_start'],
    ]);
    for (const script of scripts) expect(script.matches).toEqual(matches);
  });

  it('gives Firefox background scripts, the gecko id and no Chromium-only keys', () => {
    const firefox = manifestFor('firefox', sourceManifest, '1.2.3');
    expect(firefox.background).toEqual({ scripts: ['extension/background/service-worker.ts'], type: 'module' });
    expect(firefox.browser_specific_settings).toMatchObject({ gecko: { id: GECKO_EXTENSION_ID, data_collection_permissions: { required: ['none'] } } });
    expect(firefox).not.toHaveProperty('key');
    expect(firefox).not.toHaveProperty('storage');
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
  });

  it('never asks for host permissions beyond the optional HTTPS ones', () => {
    const chrome = manifestFor('chrome', sourceManifest, '1.2.3');
    expect(chrome).not.toHaveProperty('host_permissions');
    expect(chrome.optional_host_permissions).toEqual(['https://*/*']);
  });
});
