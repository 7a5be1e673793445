import { describe, expect, it } from 'vitest';
import {
  allowsOurExtension,
  buildHostManifest,
  extraExtensionIds,
  isManifestFor,
  parseHostManifest,
  serializeHostManifest,
} from '../../../native-host/install/host-manifest';
import { CHROME_EXTENSION_ID, GECKO_EXTENSION_ID } from '../../../native-host/protocol/extension-ids';

const LAUNCHER = '/usr/lib/nhi-card-bridge/nhi-card-host';
const DEV_CHROME_ID = 'abcdefghijklmnopabcdefghijklmnop';

describe('buildHostManifest', () => {
  it('writes allowed_origins for the Chromium family', () => {
    expect(buildHostManifest('chromium', LAUNCHER)).toEqual({
      name: 'tw.nhi_card_bridge',
      description: expect.stringContaining('NHI Card Bridge') as unknown,
      path: LAUNCHER,
      type: 'stdio',
      allowed_origins: [`chrome-extension://${CHROME_EXTENSION_ID}/`],
    });
  });

  it('writes allowed_extensions for Firefox', () => {
    expect(buildHostManifest('firefox', LAUNCHER)).toEqual({
      name: 'tw.nhi_card_bridge',
      description: expect.stringContaining('NHI Card Bridge') as unknown,
      path: LAUNCHER,
      type: 'stdio',
      allowed_extensions: [GECKO_EXTENSION_ID],
    });
  });

  it('adds development IDs from NHI_CARD_ALLOWED_EXTENSIONS to the right family, once', () => {
    const extra = extraExtensionIds({ NHI_CARD_ALLOWED_EXTENSIONS: ` ${DEV_CHROME_ID}, dev@nhi.test,${CHROME_EXTENSION_ID},, ` });
    expect(extra).toEqual({ chromium: [DEV_CHROME_ID, CHROME_EXTENSION_ID], firefox: ['dev@nhi.test'] });
    expect(buildHostManifest('chromium', LAUNCHER, extra)).toMatchObject({
      allowed_origins: [`chrome-extension://${CHROME_EXTENSION_ID}/`, `chrome-extension://${DEV_CHROME_ID}/`],
    });
    expect(buildHostManifest('firefox', LAUNCHER, extra)).toMatchObject({ allowed_extensions: [GECKO_EXTENSION_ID, 'dev@nhi.test'] });
  });

  it('serializes as indented JSON with a final newline that parses back', () => {
    const text = serializeHostManifest(buildHostManifest('firefox', LAUNCHER));
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(buildHostManifest('firefox', LAUNCHER));
  });
});

describe('ownership and checks of manifests found on disk', () => {
  const ours = serializeHostManifest(buildHostManifest('chromium', LAUNCHER));

  it('recognises a manifest this installation wrote', () => {
    expect(isManifestFor(ours, LAUNCHER)).toBe(true);
  });

  it.each([
    ['another installation', serializeHostManifest(buildHostManifest('chromium', '/opt/other/nhi-card'))],
    ['another host with the same file name', JSON.stringify({ name: 'com.example.other', path: LAUNCHER })],
    ['broken JSON', '{"name": "tw.nhi_card_bridge",'],
    ['a JSON array', '[]'],
  ])('does not claim %s', (_case, text) => {
    expect(isManifestFor(text, LAUNCHER)).toBe(false);
  });

  it('tells whether a manifest lets our extension in', () => {
    const chromium = parseHostManifest(ours);
    const firefox = parseHostManifest(serializeHostManifest(buildHostManifest('firefox', LAUNCHER)));
    expect(chromium && allowsOurExtension(chromium, 'chromium')).toBe(true);
    expect(firefox && allowsOurExtension(firefox, 'firefox')).toBe(true);
    expect(chromium && allowsOurExtension(chromium, 'firefox')).toBe(false);
  });
});
