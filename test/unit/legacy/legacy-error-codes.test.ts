import { describe, expect, it } from 'vitest';
import { atStep, LegacyFailure, toLegacyCode } from '../../../native-host/legacy/legacy-error-codes';
import { LegacyCode } from '../../../native-host/protocol/nhiicc';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { ErrorCode } from '../../../native-host/protocol/error-codes';

describe('toLegacyCode', () => {
  it.each([
    { code: ErrorCode.PcscUnavailable, expected: 7001 },
    { code: ErrorCode.NoReader, expected: 7002 },
    { code: ErrorCode.ReaderNotFound, expected: 7003 },
    { code: ErrorCode.ReaderBusy, expected: 7003 },
    { code: ErrorCode.NoCard, expected: 7004 },
    { code: ErrorCode.NotNhiCard, expected: 7004 },
    { code: ErrorCode.CardRemoved, expected: 8013 },
    { code: ErrorCode.CardTimeout, expected: 8013 },
    { code: ErrorCode.PcscError, expected: 8013 },
    { code: ErrorCode.CardError, expected: 8011 },
    { code: ErrorCode.InvalidCardData, expected: 8011 },
    { code: ErrorCode.Internal, expected: 8011 },
  ])('maps $code to $expected while reading basic data', ({ code, expected }) => {
    expect(toLegacyCode(new NhiCardError(code, 'x'), LegacyCode.BasicData)).toBe(expected);
  });

  it('keeps the code of a LegacyFailure and gives anything else the step code', () => {
    expect(toLegacyCode(new LegacyFailure(LegacyCode.SamSignature, 'x'), LegacyCode.BasicData)).toBe(8008);
    expect(toLegacyCode(new TypeError('bug'), LegacyCode.HcData)).toBe(8010);
    expect(toLegacyCode('thrown string', LegacyCode.CardIdRead)).toBe(8001);
  });
});

describe('atStep', () => {
  it('lets NOT_NHI_CARD through so the next reader can be tried', async () => {
    const notNhi = new NhiCardError(ErrorCode.NotNhiCard, 'not an NHI card');
    await expect(atStep(LegacyCode.BasicData, 'reading', () => Promise.reject(notNhi))).rejects.toBe(notNhi);
  });

  it('re-throws other failures with the step code and a message free of the cause text', async () => {
    const failure = await atStep(LegacyCode.HcData, 'reading the HC card data', () => Promise.reject(new NhiCardError(ErrorCode.CardError, 'refused'))).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(LegacyFailure);
    expect(failure).toMatchObject({ code: 8010, message: 'reading the HC card data failed' });
  });
});
