import { describe, expect, it } from 'vitest';
import { reportedFrameOrigin, isExtensionPageSender } from '../../../extension/background/sender-origin';
import { BUILT_IN_ORIGINS, canonicalOrigin, isTrustedOrigin } from '../../../extension/shared/trusted-origins';

const EXTENSION_ID = 'mecobjddhnmfnommomaakgamodoelpee';
const noExtras = { user: [], managed: [] };

describe('the built-in allowlist', () => {
  it('holds only canonical HTTPS origins, each with a reason', () => {
    for (const entry of BUILT_IN_ORIGINS) {
      expect(canonicalOrigin(entry.origin)).toBe(entry.origin);
      expect(entry.reason.length).toBeGreaterThan(10);
    }
  });

  it.each(['https://cloudicweb.nhi.gov.tw', 'https://ecpa.dgpa.gov.tw'])('includes %s', (origin) => {
    expect(isTrustedOrigin(origin, noExtras)).toBe(true);
  });
});

describe('judging the origin the browser reports', () => {
  it.each([
    ['http://cloudicweb.nhi.gov.tw', 'plain http'],
    ['https://cloudicweb.nhi.gov.tw:8443', 'another port'],
    ['https://cloudicweb.nhi.gov.tw:443', 'the default port spelled out (browsers never report it)'],
    ['https://www.cloudicweb.nhi.gov.tw', 'a subdomain'],
    ['https://nhi.gov.tw', 'the parent domain'],
    ['https://cloudicweb.nhi.gov.tw.evil.example', 'a suffix attack'],
    ['https://evilcloudicweb.nhi.gov.tw', 'a prefix attack'],
    ['https://CLOUDICWEB.NHI.GOV.TW', 'upper case (browsers report lower case)'],
    ['https://cloudicweb.nhi.gov.tw.', 'a trailing dot'],
    ['https://cloudicweb.nhi.gov.tw/', 'a trailing slash (not a serialized origin)'],
    ['https://user@cloudicweb.nhi.gov.tw', 'userinfo'],
    ['https://xn--cloudicwb-f6a.nhi.gov.tw', 'a punycode look-alike'],
    ['null', 'an opaque (sandboxed) origin'],
    ['', 'nothing'],
    [' https://cloudicweb.nhi.gov.tw', 'surrounding space'],
    ['wss://cloudicweb.nhi.gov.tw', 'another scheme'],
    ['chrome-extension://cloudicweb.nhi.gov.tw', 'an extension scheme'],
  ])('refuses %s (%s)', (origin) => {
    expect(isTrustedOrigin(origin, noExtras)).toBe(false);
  });

  it('accepts user- and policy-added origins exactly', () => {
    const lists = { user: ['https://service.example.gov.tw'], managed: ['https://intranet.example.tw:8443'] };
    expect(isTrustedOrigin('https://service.example.gov.tw', lists)).toBe(true);
    expect(isTrustedOrigin('https://intranet.example.tw:8443', lists)).toBe(true);
    expect(isTrustedOrigin('https://intranet.example.tw', lists)).toBe(false);
    expect(isTrustedOrigin('https://sub.service.example.gov.tw', lists)).toBe(false);
  });
});

describe('canonical form of origins a person types', () => {
  it.each([
    ['https://Service.Example.gov.tw', 'https://service.example.gov.tw'],
    ['https://service.example.gov.tw/', 'https://service.example.gov.tw'],
    ['https://service.example.gov.tw:443', 'https://service.example.gov.tw'],
    ['https://service.example.gov.tw:8443', 'https://service.example.gov.tw:8443'],
    ['https://健保.tw', 'https://xn--ruqtm.tw'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalOrigin(input)).toBe(expected);
  });

  it.each([
    'http://service.example.gov.tw',
    'https://service.example.gov.tw/path',
    'https://service.example.gov.tw/?q',
    'https://service.example.gov.tw/#x',
    'https://user:pass@service.example.gov.tw',
    'service.example.gov.tw',
    'https://',
    'null',
    'javascript:alert(1)',
  ])('refuses %s', (input) => {
    expect(canonicalOrigin(input)).toBeUndefined();
  });
});

describe('who sent a message', () => {
  const tab = { id: 7 };
  it.each([
    ['the reported origin wins over the URL', { id: EXTENSION_ID, tab, frameId: 0, origin: 'https://cloudicweb.nhi.gov.tw', url: 'https://cloudicweb.nhi.gov.tw/x' }, 'https://cloudicweb.nhi.gov.tw'],
    ['a sandboxed frame reports "null" even on a trusted URL', { id: EXTENSION_ID, tab, frameId: 3, origin: 'null', url: 'https://cloudicweb.nhi.gov.tw/x' }, 'null'],
    ['without sender.origin, the URL origin is used', { id: EXTENSION_ID, tab, frameId: 0, url: 'https://user@cloudicweb.nhi.gov.tw:443/x' }, 'https://cloudicweb.nhi.gov.tw'],
    ['another extension is refused', { id: 'abcdefghijklmnopabcdefghijklmnop', tab, frameId: 0, url: 'https://cloudicweb.nhi.gov.tw/' }, undefined],
    ['an extension page (no tab) is not a frame', { id: EXTENSION_ID, url: 'https://cloudicweb.nhi.gov.tw/' }, undefined],
    ['a malformed URL gives nothing', { id: EXTENSION_ID, tab, frameId: 0, url: 'not a url' }, undefined],
  ])('%s', (_name, sender, expected) => {
    expect(reportedFrameOrigin(sender, EXTENSION_ID)).toBe(expected);
  });

  it('refuses a sandboxed frame even though its URL is trusted', () => {
    const origin = reportedFrameOrigin({ id: EXTENSION_ID, tab, frameId: 1, origin: 'null', url: 'https://cloudicweb.nhi.gov.tw/' }, EXTENSION_ID);
    expect(isTrustedOrigin(origin ?? '', noExtras)).toBe(false);
  });

  it('recognises extension pages only by an extension URL', () => {
    const base = `chrome-extension://${EXTENSION_ID}/`;
    expect(isExtensionPageSender({ id: EXTENSION_ID, url: `${base}extension/ui/options.html` }, EXTENSION_ID, base)).toBe(true);
    expect(isExtensionPageSender({ id: EXTENSION_ID, url: 'https://cloudicweb.nhi.gov.tw/', tab }, EXTENSION_ID, base)).toBe(false);
    expect(isExtensionPageSender(undefined, EXTENSION_ID, base)).toBe(false);
  });
});
