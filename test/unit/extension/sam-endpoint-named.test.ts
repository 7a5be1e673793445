import { describe, expect, it } from 'vitest';
import { nonDefaultSamEndpoint } from '../../../extension/shared/sam-endpoint-named';

const b64 = (text: string): string => Buffer.from(text, 'latin1').toString('base64');
const RANDOM = b64('00111234567890123456');
const line = (ip: string, port: string): string => `H_SignIPAndPort?Random=${RANDOM}&IP=${ip}&PORT=${port}`;

describe('the SAM service a legacy line names', () => {
  it('is nothing to show for the official service, padded or not, in any letter case', () => {
    expect(nonDefaultSamEndpoint(line(b64('cloudicap.nhi.gov.tw'), b64('443')))).toBeUndefined();
    expect(nonDefaultSamEndpoint(line(b64('cloudicap.nhi.gov.tw').replace(/=+$/u, ''), b64('443').replace(/=+$/u, '')))).toBeUndefined();
    expect(nonDefaultSamEndpoint(line(b64('CloudICap.NHI.gov.tw'), b64('443')))).toBeUndefined();
  });

  it('is nothing to show for lines that name no service', () => {
    for (const other of ['H_Sign?Random=00111234567890123456', 'GetBasic', 'EnCrypt?Pwd=123456']) expect(nonDefaultSamEndpoint(other)).toBeUndefined();
  });

  it('names any other host or port as the page wrote it', () => {
    expect(nonDefaultSamEndpoint(line(b64('127.0.0.1'), b64('8443')))).toBe('127.0.0.1:8443');
    expect(nonDefaultSamEndpoint(line(b64('cloudicap.nhi.gov.tw'), b64('8443')))).toBe('cloudicap.nhi.gov.tw:8443');
    expect(nonDefaultSamEndpoint(line(b64('cloudicap.nhi.gov.tw.evil.example'), b64('443')))).toBe('cloudicap.nhi.gov.tw.evil.example:443');
    expect(nonDefaultSamEndpoint(line(b64('cloudicap.nhi.gov.tw'), b64('0443')))).toBe('cloudicap.nhi.gov.tw:0443');
  });

  it('shows a part that does not decode as "?", and never counts it as the official service', () => {
    expect(nonDefaultSamEndpoint(line('not*base64', b64('443')))).toBe('?:443');
    expect(nonDefaultSamEndpoint(`H_SignIPAndPort?Random=${RANDOM}`)).toBe('?:?');
    expect(nonDefaultSamEndpoint('H_SignIPAndPort')).toBe('?:?');
  });

  it('never shows more than a host name and port can take', () => {
    expect(nonDefaultSamEndpoint(line(b64('a'.repeat(600)), b64('443')))?.length).toBe(270);
  });
});
