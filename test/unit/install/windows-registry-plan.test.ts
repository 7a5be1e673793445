import { describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ID } from '../../../native-host/protocol/extension-ids';
import { manifestLocation, type UserDirs } from '../../../native-host/install/host-locations';
import { hostKey, SETUP_BROWSERS, setupManifestFamilies, windowsRegistryPlan } from '../../../native-host/install/windows-registry-plan';

const dirs: UserDirs = { home: 'C:\\Users\\a', configHome: 'C:\\Users\\a', localAppData: 'C:\\Users\\a\\AppData\\Local', appData: 'C:\\Users\\a\\AppData\\Roaming' };

describe('the Windows setup registry plan', () => {
  it('registers the host for Chrome, Edge, Brave and Firefox under the per-user keys', () => {
    expect(windowsRegistryPlan('user', 'C:\\NHI')).toEqual([
      { key: 'Software\\Google\\Chrome\\NativeMessagingHosts\\tw.nhi_card_bridge', name: '', value: 'C:\\NHI\\tw.nhi_card_bridge.chromium.json' },
      { key: 'Software\\Microsoft\\Edge\\NativeMessagingHosts\\tw.nhi_card_bridge', name: '', value: 'C:\\NHI\\tw.nhi_card_bridge.chromium.json' },
      { key: 'Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\tw.nhi_card_bridge', name: '', value: 'C:\\NHI\\tw.nhi_card_bridge.chromium.json' },
      { key: 'Software\\Mozilla\\NativeMessagingHosts\\tw.nhi_card_bridge', name: '', value: 'C:\\NHI\\tw.nhi_card_bridge.firefox.json' },
      { key: `Software\\Google\\Chrome\\Extensions\\${CHROME_EXTENSION_ID}`, name: 'update_url', value: 'https://clients2.google.com/service/update2/crx' },
      { key: `Software\\Microsoft\\Edge\\Extensions\\${CHROME_EXTENSION_ID}`, name: 'update_url', value: 'https://edge.microsoft.com/extensionwebstorebase/v1/crx' },
    ]);
  });

  it.each(SETUP_BROWSERS.flatMap((browser) => (['user', 'system'] as const).map((scope) => [browser, scope] as const)))(
    '%s (%s): the host key is the installer table\'s, below its hive',
    (browser, scope) => {
      const location = manifestLocation('win32', browser, scope, dirs);
      expect(location.kind === 'registry' ? location.key : '').toBe(`${scope === 'user' ? 'HKCU' : 'HKLM'}\\${hostKey(browser, scope)}`);
    },
  );

  it('puts machine-wide external-extension keys in the 32-bit view, where Chrome and Edge read them', () => {
    const extensionKeys = windowsRegistryPlan('system', 'C:\\Program Files\\NHI Card Bridge').filter((value) => value.name === 'update_url');
    expect(extensionKeys.map((value) => value.key)).toEqual([
      `Software\\Wow6432Node\\Google\\Chrome\\Extensions\\${CHROME_EXTENSION_ID}`,
      `Software\\Wow6432Node\\Microsoft\\Edge\\Extensions\\${CHROME_EXTENSION_ID}`,
    ]);
  });

  it('ships one manifest per browser family', () => {
    expect(setupManifestFamilies()).toEqual(['chromium', 'firefox']);
  });
});
