import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import sourceManifest from '../../../manifest.json' with { type: 'json' };
import { manifestFor } from '../../../extension/build/manifest-for';
import { CHROME_EXTENSION_KEY, GECKO_EXTENSION_ID } from '../../../native-host/protocol/extension-ids';
import { BUILT_IN_ORIGINS } from '../../../extension/shared/trusted-origins';

const matches = BUILT_IN_ORIGINS.map((entry) => `${entry.origin}/*`);
const publicDir = fileURLToPath(new URL('../../../extension/public/', import.meta.url));

/** Every (size, path) pair the manifest names under `icons` and `action.default_icon`. */
function iconEntries(manifest: Record<string, unknown>): [string, string][] {
  const action = manifest.action as { default_icon?: Record<string, string> } | undefined;
  return [manifest.icons as Record<string, string> | undefined, action?.default_icon].flatMap((icons) => Object.entries(icons ?? {}));
}

describe('the derived manifests', () => {
  it('fixes the Chromium ID with the key and runs content scripts only on the built-in origins', () => {
    const chrome = manifestFor('chrome', sourceManifest, '1.2.3');
    expect(chrome.key).toBe(CHROME_EXTENSION_KEY);
    expect(chrome.version).toBe('1.2.3');
    const scripts = chrome.content_scripts as { matches: string[]; run_at: string; world: string }[];
    // The content script first: its listener is there when the page-world script makes its one
    // offer, so a frame opens one channel instead of two (the first, unanswered, is thrown away).
    expect(scripts.map((script) => [script.world, script.run_at])).toEqual([
      ['ISOLATED', 'document_start'],
      ['MAIN', 'document_start'],
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

  it.each(['chrome', 'firefox'] as const)('names only %s icons that exist in extension/public at their stated size', (target) => {
    const entries = iconEntries(manifestFor(target, sourceManifest, '1.2.3'));
    expect(entries.map(([size]) => size)).toEqual(expect.arrayContaining(['16', '32', '48', '128']));
    for (const [size, path] of entries) {
      const png = readFileSync(join(publicDir, path));
      // The IHDR chunk follows the 8-byte signature: width at byte 16, height at byte 20.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], path).toEqual([Number(size), Number(size)]);
    }
  });
});
