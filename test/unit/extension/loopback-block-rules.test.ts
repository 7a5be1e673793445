import { describe, expect, it } from 'vitest';
import sourceManifest from '../../../manifest.json' with { type: 'json' };
import { LOOPBACK_COMPONENT_URL_REGEX, LOOPBACK_RULESET_PATH, loopbackBlockRules } from '../../../extension/shared/loopback-block-rules';
import { manifestFor } from '../../../extension/build/manifest-for';
import { BUILT_IN_ORIGINS } from '../../../extension/shared/trusted-origins';

const pattern = new RegExp(LOOPBACK_COMPONENT_URL_REGEX, 'i');

describe('the loopback block rules', () => {
  it.each([
    'http://localhost:59001/api/GetVersion',
    'https://localhost:59002/api/GetVersion',
    'http://127.0.0.1:59001/api/GetStatus.bmp?tick=1',
    'https://[::1]:59002/api/SignHC',
    'wss://localhost:59002/echo',
    'HTTP://LOCALHOST:59001/',
  ])('block %s', (url) => {
    expect(pattern.test(url)).toBe(true);
  });

  it.each([
    'wss://localhost:7777/echo',
    'http://localhost:590011/',
    'http://localhost:5900/',
    'http://localhost.evil.example:59001/',
    'https://cloudicweb.nhi.gov.tw:59001/',
    'http://127.0.0.2:59001/',
    'https://cloudicweb.nhi.gov.tw/?u=http://localhost:59001/',
  ])('leave %s alone', (url) => {
    expect(pattern.test(url)).toBe(false);
  });

  it('apply only to requests our trusted origins start, by host name', () => {
    const rules = loopbackBlockRules(['https://cloudicweb.nhi.gov.tw', 'https://a.gov.tw:8443', 'https://cloudicweb.nhi.gov.tw']);
    expect(rules).toEqual([
      {
        id: 1,
        priority: 1,
        action: { type: 'block' },
        condition: { regexFilter: LOOPBACK_COMPONENT_URL_REGEX, isUrlFilterCaseSensitive: false, initiatorDomains: ['a.gov.tw', 'cloudicweb.nhi.gov.tw'] },
      },
    ]);
    // No resourceTypes: every type but top-level navigation, images and beacons included.
    expect(rules[0]?.condition).not.toHaveProperty('resourceTypes');
    expect(loopbackBlockRules([])).toEqual([]);
  });

  it.each(['chrome', 'firefox'] as const)('are named by the %s manifest, with the permission that needs no host access to block', (target) => {
    const manifest = manifestFor(target, sourceManifest, '1.2.3');
    expect(manifest.declarative_net_request).toEqual({ rule_resources: [{ id: 'nhiicc-loopback', enabled: true, path: LOOPBACK_RULESET_PATH }] });
    expect(manifest.permissions).toContain('declarativeNetRequest');
    expect(manifest).not.toHaveProperty('host_permissions');
    expect(loopbackBlockRules(BUILT_IN_ORIGINS.map((entry) => entry.origin))[0]?.condition.initiatorDomains).toHaveLength(BUILT_IN_ORIGINS.length);
  });
});
