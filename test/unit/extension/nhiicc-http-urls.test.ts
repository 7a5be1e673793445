import { describe, expect, it } from 'vitest';
import { httpApiTarget } from '../../../extension/page/nhiicc-http/http-api-urls';

describe('which URLs belong to the component HTTP API', () => {
  it.each([
    ['http://localhost:59001/api/GetVersion', { kind: 'call', call: 'GetVersion' }],
    ['https://localhost:59002/api/GetRandom', { kind: 'call', call: 'GetRandom' }],
    ['http://127.0.0.1:59001/api/GetBasic', { kind: 'call', call: 'GetBasic' }],
    ['https://[::1]:59002/api/SignHC', { kind: 'call', call: 'SignHC' }],
    ['http://localhost:59001/api/EncryptPwd', { kind: 'call', call: 'EncryptPwd' }],
    ['https://localhost:59002/api/GetEncryptBasic', { kind: 'call', call: 'GetEncryptBasic' }],
    // Paths are routed case-insensitively, as the component's web server does.
    ['http://LOCALHOST:59001/API/getversion', { kind: 'call', call: 'GetVersion' }],
    ['http://localhost:59001/api/GetStatus.bmp?tick=1733000000000', { kind: 'image', image: 'GetStatus.bmp' }],
    ['https://localhost:59002/api/GetCardStatus.bmp?tick=1#x', { kind: 'image', image: 'GetCardStatus.bmp' }],
    // Either scheme on either port is still the component's port: never let it reach the network.
    ['https://localhost:59001/api/GetVersion', { kind: 'call', call: 'GetVersion' }],
    ['http://localhost:59002/api/GetVersion', { kind: 'call', call: 'GetVersion' }],
  ])('answers %s', (url, expected) => {
    expect(httpApiTarget(url)).toEqual({ ...expected, href: new URL(url).href });
  });

  it.each(['http://localhost:59001/auth.html', 'http://localhost:59001/api/Unknown', 'http://localhost:59001/', 'https://localhost:59002/apiGetVersion'])(
    'keeps %s from the network as a 404, since it is still the component port',
    (url) => {
      expect(httpApiTarget(url)).toEqual({ kind: 'other', href: new URL(url).href });
    },
  );

  it.each([
    'http://localhost:59003/api/GetVersion',
    'http://localhost/api/GetVersion',
    'https://cloudicweb.nhi.gov.tw:59001/api/GetVersion',
    'http://localhost.evil.example:59001/api/GetVersion',
    'http://127.0.0.2:59001/api/GetVersion',
    'wss://localhost:59001/api/GetVersion',
    'ftp://localhost:59001/api/GetVersion',
    '/api/GetVersion',
    'not a url',
    '',
  ])('leaves %s to the browser', (url) => {
    expect(httpApiTarget(url)).toBeUndefined();
  });

  it('resolves relative URLs against the page: a protocol-relative one is the component, a path is not', () => {
    expect(httpApiTarget('//localhost:59002/api/GetVersion', 'https://cloudicweb.nhi.gov.tw/page')).toMatchObject({ kind: 'call', call: 'GetVersion' });
    expect(httpApiTarget('/api/GetVersion', 'https://cloudicweb.nhi.gov.tw/page')).toBeUndefined();
  });
});
