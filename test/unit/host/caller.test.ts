import { describe, expect, it } from 'vitest';
import { ALLOWED_EXTENSIONS_ENV, allowedCallers, callerFromArgv, isAllowedCaller } from '../../../native-host/host/caller';
import { CHROME_EXTENSION_ID, GECKO_EXTENSION_ID } from '../../../native-host/protocol/extension-ids';

describe('callerFromArgv', () => {
  it.each([
    ['Chromium on Linux/macOS', [`chrome-extension://${CHROME_EXTENSION_ID}/`], CHROME_EXTENSION_ID],
    ['Chromium on Windows', [`chrome-extension://${CHROME_EXTENSION_ID}/`, '--parent-window=132'], CHROME_EXTENSION_ID],
    ['Firefox', ['/home/u/.mozilla/native-messaging-hosts/tw.nhi_card_bridge.json', GECKO_EXTENSION_ID], GECKO_EXTENSION_ID],
    ['Firefox on Windows', ['C:\\Program Files\\NHI\\tw.nhi_card_bridge.JSON', GECKO_EXTENSION_ID], GECKO_EXTENSION_ID],
    ['Firefox with a UUID id', ['/m.json', '{12345678-abcd-ef01-2345-6789abcdef01}'], '{12345678-abcd-ef01-2345-6789abcdef01}'],
  ])('recognises %s', (_browser, args, id) => {
    expect(callerFromArgv(args)).toBe(id);
  });

  it.each([
    ['no arguments', []],
    ['a CLI command', ['read', '--json']],
    ['a Chromium origin without the trailing slash', [`chrome-extension://${CHROME_EXTENSION_ID}`]],
    ['a Chromium id with letters outside a-p', ['chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/']],
    ['a Chromium id of the wrong length', ['chrome-extension://abc/']],
    ['a web origin', ['https://cloudicweb.nhi.gov.tw/']],
    ['a manifest path without an id', ['/m.json']],
    ['a manifest path with a non-id', ['/m.json', '--json']],
    ['a non-manifest first argument', ['read', GECKO_EXTENSION_ID]],
  ])('returns null for %s', (_case, args) => {
    expect(callerFromArgv(args)).toBeNull();
  });
});

describe('allowedCallers', () => {
  it('holds our two extensions by default', () => {
    expect(allowedCallers({})).toEqual([CHROME_EXTENSION_ID, GECKO_EXTENSION_ID]);
  });

  it(`adds comma-separated ids from ${ALLOWED_EXTENSIONS_ENV}, trimmed, without duplicates`, () => {
    const env = { [ALLOWED_EXTENSIONS_ENV]: ` abcdefghijklmnopabcdefghijklmnop , dev@example.org,,${CHROME_EXTENSION_ID}` };
    expect(allowedCallers(env)).toEqual([CHROME_EXTENSION_ID, GECKO_EXTENSION_ID, 'abcdefghijklmnopabcdefghijklmnop', 'dev@example.org']);
  });
});

describe('isAllowedCaller', () => {
  const allowed = allowedCallers({});

  it.each([
    [CHROME_EXTENSION_ID, true],
    [GECKO_EXTENSION_ID, true],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false],
    [CHROME_EXTENSION_ID.toUpperCase(), false],
    ['', false],
    [null, false],
  ])('%j -> %s', (id, expected) => {
    expect(isAllowedCaller(id, allowed)).toBe(expected);
  });
});
