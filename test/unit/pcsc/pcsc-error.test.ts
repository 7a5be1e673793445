import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { chooseBackend } from '../../../native-host/pcsc/pcsc-backend';
import { noReaderMessage, pcscCallError, pcscStatusOf, toNhiCardError } from '../../../native-host/pcsc/pcsc-error';

describe('PC/SC error mapping', () => {
  it.each([
    [0x8010001d, ErrorCode.PcscUnavailable],
    [0x8010001e, ErrorCode.PcscUnavailable],
    [0x8010002e, ErrorCode.NoReader],
    [0x80100009, ErrorCode.ReaderNotFound],
    [0x80100069, ErrorCode.CardRemoved],
    [0x80100066, ErrorCode.CardError],
    [0x8010000b, ErrorCode.ReaderBusy],
    [0x80100001, ErrorCode.PcscError],
  ])('status 0x%s from an ffi call maps to %s', (status, code) => {
    expect(toNhiCardError(pcscCallError('SCardConnect', status), 'connect').code).toBe(code);
  });

  it('writes the status the way pcscStatusOf reads it back', () => {
    expect(pcscCallError('SCardTransmit', 0x80100069).message).toBe('SCardTransmit failed (0x80100069)');
    expect(pcscStatusOf(pcscCallError('SCardTransmit', 0x80100002))).toBe(0x80100002);
  });

  it.each([0x8010001d, 0x8010001e])('on Windows, a stopped smart card service (0x%s) says to plug in the reader', (status) => {
    const error = toNhiCardError(pcscCallError('SCardEstablishContext', status), 'connect', 'win32');
    expect(error.code).toBe(ErrorCode.PcscUnavailable);
    expect(error.message).toBe('the Windows smart card service is not running: plug in the card reader, then try again');
  });

  it('on Windows, no reader says to plug one in, without naming pcscd', () => {
    const error = toNhiCardError(pcscCallError('SCardListReadersW', 0x8010002e), 'list readers', 'win32');
    expect(error.code).toBe(ErrorCode.NoReader);
    expect(error.message).toBe('no reader found: plug in the card reader, then try again');
    expect(noReaderMessage('linux')).toContain('pcscd');
  });

  it('on Linux, it names pcscd', () => {
    expect(toNhiCardError(pcscCallError('SCardEstablishContext', 0x8010001d), 'connect', 'linux').message).toContain('pcscd');
  });

  it('names the failing action for statuses it does not tell apart', () => {
    expect(toNhiCardError(pcscCallError('SCardEstablishContext', 0x80100001), 'connect').message).toBe('PC/SC connect failed (0x80100001)');
  });
});

describe('backend choice', () => {
  it.each([
    [{}, 'win32', 'ffi'],
    [{}, 'linux', 'pcsclite'],
    [{}, 'darwin', 'pcsclite'],
    [{ NHI_CARD_PCSC_BACKEND: 'ffi' }, 'linux', 'ffi'],
    [{ NHI_CARD_PCSC_BACKEND: ' PCSCLITE ' }, 'win32', 'pcsclite'],
    [{ NHI_CARD_PCSC_BACKEND: '' }, 'win32', 'ffi'],
  ])('%o on %s is %s', (env, platform, backend) => {
    expect(chooseBackend(env, platform)).toBe(backend);
  });

  it('refuses an unknown backend with the choices', () => {
    expect(() => chooseBackend({ NHI_CARD_PCSC_BACKEND: 'wasm' }, 'linux')).toThrow('NHI_CARD_PCSC_BACKEND must be one of pcsclite, ffi');
  });
});
