import { describe, expect, it } from 'vitest';
import { parseRegQueryDefault, regAddCommand, regDeleteCommand, regQueryCommand } from '../../../native-host/install/registry-commands';

const KEY = 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\tw.nhi_card_bridge';
const MANIFEST = 'C:\\Users\\陳小明\\AppData\\Local\\NHI Card Bridge\\tw.nhi_card_bridge.chromium.json';

describe('reg.exe commands', () => {
  it.each([
    ['add sets the default value to the manifest path', regAddCommand(KEY, MANIFEST), ['add', KEY, '/ve', '/t', 'REG_SZ', '/d', MANIFEST, '/f']],
    ['delete removes the key without asking', regDeleteCommand(KEY), ['delete', KEY, '/f']],
    ['query reads the default value', regQueryCommand(KEY), ['query', KEY, '/ve']],
  ])('%s', (_case, command, args) => {
    expect(command).toEqual({ file: 'reg.exe', args });
  });
});

describe('parseRegQueryDefault', () => {
  it.each([
    ['English Windows', `\r\n${KEY}\r\n    (Default)    REG_SZ    ${MANIFEST}\r\n\r\n`],
    ['Traditional Chinese Windows', `\r\n${KEY}\r\n    (預設值)    REG_SZ    ${MANIFEST}\r\n\r\n`],
    ['an expandable string', `${KEY}\n    (Default)    REG_EXPAND_SZ    ${MANIFEST}\n`],
  ])('reads the value from %s', (_case, stdout) => {
    expect(parseRegQueryDefault(stdout)).toBe(MANIFEST);
  });

  it('returns null for a key without a default value', () => {
    expect(parseRegQueryDefault(`${KEY}\r\n    (Default)    REG_SZ    \r\n`)).toBeNull();
    expect(parseRegQueryDefault('')).toBeNull();
  });
});
