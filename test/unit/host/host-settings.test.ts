import { describe, expect, it } from 'vitest';
import { hostSettingsFromEnv } from '../../../native-host/commands/host-settings';
import { DEFAULT_LEGACY_VERSION } from '../../../native-host/legacy/legacy-handler';
import { DEFAULT_SAM_ENDPOINT } from '../../../native-host/legacy/sam-endpoint';
import { DEFAULT_EXCHANGE_TIMEOUT_MS } from '../../../native-host/pcsc/pcsc-reader-service';

describe('hostSettingsFromEnv', () => {
  it('uses the defaults when nothing is set', () => {
    expect(hostSettingsFromEnv({ PATH: '/usr/bin' })).toEqual({
      sam: { endpoint: DEFAULT_SAM_ENDPOINT, alsoAllowed: [] },
      legacyVersion: DEFAULT_LEGACY_VERSION,
      exchangeTimeoutMs: DEFAULT_EXCHANGE_TIMEOUT_MS,
    });
  });

  it('reads every setting', () => {
    const pin = 'AB'.repeat(32);
    const env = {
      NHI_CARD_SAM_ENDPOINT: 'sam.example:7000',
      NHI_CARD_SAM_ALLOW: 'sam2.example:443, 10.0.0.5:8000',
      NHI_CARD_SAM_KEY_SHA256: pin,
      NHI_CARD_LEGACY_VERSION: '0100',
      NHI_CARD_EXCHANGE_TIMEOUT_MS: '7000',
    };
    expect(hostSettingsFromEnv(env)).toEqual({
      sam: {
        endpoint: { host: 'sam.example', port: 7000, serverKeySha256: [pin.toLowerCase()] },
        alsoAllowed: [
          { host: 'sam2.example', port: 443 },
          { host: '10.0.0.5', port: 8000 },
        ],
      },
      legacyVersion: '0100',
      exchangeTimeoutMs: 7000,
    });
  });

  it.each([
    [{ NHI_CARD_SAM_ENDPOINT: 'sam' }, 'invalid setting NHI_CARD_SAM_ENDPOINT: expected HOST:PORT'],
    [{ NHI_CARD_SAM_ENDPOINT: 'sam:70000' }, 'invalid setting NHI_CARD_SAM_ENDPOINT: port out of range'],
    [{ NHI_CARD_SAM_ENDPOINT: 'sam:0' }, 'invalid setting NHI_CARD_SAM_ENDPOINT: port out of range'],
    [{ NHI_CARD_SAM_ALLOW: 'sam:443,,' }, 'invalid setting NHI_CARD_SAM_ALLOW: expected HOST:PORT[,HOST:PORT...]'],
    [{ NHI_CARD_SAM_ALLOW: 'sam:99999' }, 'invalid setting NHI_CARD_SAM_ALLOW: expected HOST:PORT[,HOST:PORT...]'],
    [{ NHI_CARD_SAM_KEY_SHA256: 'abc' }, 'invalid setting NHI_CARD_SAM_KEY_SHA256: expected 64 hex digits[,64 hex digits...]'],
    [{ NHI_CARD_LEGACY_VERSION: '12' }, 'invalid setting NHI_CARD_LEGACY_VERSION: expected 4 digits'],
    [{ NHI_CARD_EXCHANGE_TIMEOUT_MS: '50' }, 'invalid setting NHI_CARD_EXCHANGE_TIMEOUT_MS: Too small: expected number to be >=100'],
    [{ NHI_CARD_EXCHANGE_TIMEOUT_MS: '60001' }, 'invalid setting NHI_CARD_EXCHANGE_TIMEOUT_MS: Too big: expected number to be <=60000'],
    [{ NHI_CARD_EXCHANGE_TIMEOUT_MS: 'soon' }, 'invalid setting NHI_CARD_EXCHANGE_TIMEOUT_MS: Invalid input: expected number, received NaN'],
    [{ NHI_CARD_EXCHANGE_TIMEOUT_MS: '1.5' }, 'invalid setting NHI_CARD_EXCHANGE_TIMEOUT_MS: Invalid input: expected int, received number'],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => hostSettingsFromEnv(env)).toThrow(message);
  });
});
