import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseLegacyCommand, type LegacyCommand } from '../../../native-host/legacy/legacy-command';
import { LEGACY_COMMAND_NAMES, type LegacyCommandName } from '../../../native-host/protocol/nhiicc';

const b64 = (text: string): string => Buffer.from(text, 'latin1').toString('base64');
const malformed = (command: string): LegacyCommand => ({ kind: 'Invalid', command, reason: 'malformed-arguments' });

describe('parseLegacyCommand', () => {
  it('knows each command name of the NHIICC vocabulary (protocol/nhiicc.ts), and only those', () => {
    expectTypeOf<Exclude<LegacyCommand['kind'], 'Invalid' | 'Unknown'>>().toEqualTypeOf<LegacyCommandName>();
    for (const name of LEGACY_COMMAND_NAMES) expect(parseLegacyCommand(name).kind, name).not.toBe('Unknown');
  });

  it.each<{ line: string; parsed: LegacyCommand }>([
    { line: 'GetVersion', parsed: { kind: 'GetVersion' } },
    { line: 'GetBasic', parsed: { kind: 'GetBasic' } },
    { line: 'GetRandom', parsed: { kind: 'GetRandom' } },
    { line: 'H_Sign?Random=00111234567890123456', parsed: { kind: 'H_Sign', version: '0011', random: '1234567890123456' } },
    { line: 'EnCrypt?Pwd=abc123', parsed: { kind: 'EnCrypt', pwd: 'abc123' } },
    { line: 'EnCrypt?Pwd=a&b=c=12', parsed: { kind: 'EnCrypt', pwd: 'a&b=c=12' } },
    { line: 'SecureGetBasicWithParam?Pwd=123456', parsed: { kind: 'SecureGetBasicWithParam', pwd: '123456' } },
    {
      line: `H_SignIPAndPort?Random=${b64('00111234567890123456')}&IP=${b64('10.0.0.5')}&PORT=${b64('443')}`,
      parsed: { kind: 'H_SignIPAndPort', version: '0011', random: '1234567890123456', ip: '10.0.0.5', port: 443 },
    },
    {
      line: `H_SignIPAndPort?PORT=${b64('8443')}&IP=${b64('cloudicap.nhi.gov.tw')}&Random=${b64('00011234567890123456')}`,
      parsed: { kind: 'H_SignIPAndPort', version: '0001', random: '1234567890123456', ip: 'cloudicap.nhi.gov.tw', port: 8443 },
    },
  ])('parses $line', ({ line, parsed }) => {
    expect(parseLegacyCommand(line)).toEqual(parsed);
  });

  it.each<{ line: string; parsed: LegacyCommand }>([
    { line: 'EnCrypt?Pwd=abc12', parsed: { kind: 'Invalid', command: 'EnCrypt', reason: 'password-length' } },
    { line: 'EnCrypt?Pwd=abcdefghijklm', parsed: { kind: 'Invalid', command: 'EnCrypt', reason: 'password-length' } },
    { line: 'EnCrypt?Pwd=密碼密碼密碼', parsed: { kind: 'Invalid', command: 'EnCrypt', reason: 'password-length' } },
    { line: 'EnCrypt', parsed: malformed('EnCrypt') },
    { line: 'EnCrypt?pwd=abc123', parsed: malformed('EnCrypt') },
    { line: `SecureGetBasicWithParam?Pwd=${'x'.repeat(65)}`, parsed: malformed('SecureGetBasicWithParam') },
    { line: 'H_Sign', parsed: malformed('H_Sign') },
    { line: 'H_Sign?Random=0011123456789012345', parsed: malformed('H_Sign') },
    { line: 'H_Sign?Random=001112345678901234567', parsed: malformed('H_Sign') },
    { line: 'H_Sign?Random=0011<E>4567890123456', parsed: malformed('H_Sign') },
    { line: `H_SignIPAndPort?Random=${b64('00111234567890123456')}&IP=${b64('10.0.0.5')}`, parsed: malformed('H_SignIPAndPort') },
    { line: `H_SignIPAndPort?Random=00111234567890123456&IP=${b64('10.0.0.5')}&PORT=${b64('443')}`, parsed: malformed('H_SignIPAndPort') },
    { line: `H_SignIPAndPort?Random=${b64('00111234567890123456')}&IP=${b64('bad host!')}&PORT=${b64('443')}`, parsed: malformed('H_SignIPAndPort') },
    { line: `H_SignIPAndPort?Random=${b64('00111234567890123456')}&IP=${b64('10.0.0.5')}&PORT=${b64('70000')}`, parsed: malformed('H_SignIPAndPort') },
    { line: `H_SignIPAndPort?Random=${b64('00111234567890123456')}&IP=${b64('10.0.0.5')}&PORT=${b64('0')}`, parsed: malformed('H_SignIPAndPort') },
    {
      line: `H_SignIPAndPort?Random=${b64('00111234567890123456')}&IP=${b64('10.0.0.5')}&IP=${b64('10.0.0.6')}&PORT=${b64('443')}`,
      parsed: malformed('H_SignIPAndPort'),
    },
    { line: `H_SignIPAndPort?Random=${b64('00111234567890123456')}&IP=${b64('a\nb')}&PORT=${b64('443')}`, parsed: malformed('H_SignIPAndPort') },
    { line: 'GetBasic?', parsed: { kind: 'Unknown' } },
    { line: 'getversion', parsed: { kind: 'Unknown' } },
    { line: ' GetVersion', parsed: { kind: 'Unknown' } },
    { line: `GetVersion${'x'.repeat(5000)}`, parsed: { kind: 'Unknown' } },
  ])('refuses $line', ({ line, parsed }) => {
    expect(parseLegacyCommand(line)).toEqual(parsed);
  });

  it('never throws and only yields well-formed values (fuzz)', () => {
    const command = fc.constantFrom('GetVersion', 'GetBasic', 'GetRandom', 'H_Sign', 'H_SignIPAndPort', 'EnCrypt', 'SecureGetBasicWithParam', 'Foo', '');
    const query = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 })).map(
        ([random, ip, port]) => `Random=${b64(random)}&IP=${b64(ip)}&PORT=${b64(port)}`,
      ),
      fc.string({ maxLength: 20 }).map((value) => `Random=${value}`),
      fc.string({ maxLength: 20 }).map((value) => `Pwd=${value}`),
    );
    const line = fc.oneof(fc.tuple(command, fc.option(query)).map(([name, q]) => (q === null ? name : `${name}?${q}`)), fc.string({ unit: 'binary', maxLength: 200 }));
    fc.assert(
      fc.property(line, (text) => {
        const parsed = parseLegacyCommand(text);
        if (parsed.kind === 'H_Sign' || parsed.kind === 'H_SignIPAndPort') expect(parsed.version.length + parsed.random.length).toBe(20);
        if (parsed.kind === 'H_SignIPAndPort') expect(parsed.port).toBeGreaterThan(0);
        if (parsed.kind === 'EnCrypt') expect(parsed.pwd.length).toBeGreaterThanOrEqual(6);
      }),
      { numRuns: 10_000 },
    );
  });
});
