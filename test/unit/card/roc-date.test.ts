import { describe, expect, it } from 'vitest';
import { rocToIso } from '../../../native-host/card/roc-date';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { expectNhiCardError } from './nhi-card-error-expectations';

describe('rocToIso', () => {
  it.each([
    ['0800101', '1991-01-01', 'a two-digit ROC year'],
    ['0011231', '1912-12-31', 'ROC year 1'],
    ['0991231', '2010-12-31', 'the last year below 100'],
    ['1000101', '2011-01-01', 'ROC year 100'],
    ['1130229', '2024-02-29', 'Feb 29 of a leap year'],
    ['0890229', '2000-02-29', 'Feb 29 of 2000, divisible by 400'],
    ['9991231', '2910-12-31', 'ROC year 999'],
  ])('converts %s to %s (%s)', (roc, iso) => {
    expect(rocToIso(roc)).toBe(iso);
  });

  it.each([
    ['1120229', 'Feb 29 of a non-leap year (2023)'],
    ['1890229', 'Feb 29 of 2100, a century that is not a leap year'],
    ['0000101', 'ROC year 0'],
    ['0800001', 'month 0'],
    ['0801301', 'month 13'],
    ['0800100', 'day 0'],
    ['0800132', 'day 32'],
    ['0800230', 'Feb 30'],
    ['0800431', 'Apr 31'],
    ['080011', 'six digits'],
    ['08001011', 'eight digits'],
    ['', 'an empty string'],
    ['08O0101', 'a letter among the digits'],
    [' 800101', 'a leading space'],
    ['-800101', 'a sign'],
    ['０８００１０１', 'full-width digits'],
    ['٠٨٠٠١٠١', 'non-ASCII digits'],
  ])('rejects %j (%s)', (roc) => {
    expectNhiCardError(() => rocToIso(roc), ErrorCode.InvalidCardData);
  });

  it('names the field but not the value in its error', () => {
    const error = expectNhiCardError(() => rocToIso('0800230', 'birth date'), ErrorCode.InvalidCardData);
    expect(error.message).toBe('birth date is not a valid ROC date');
    expect(error.message).not.toContain('0800230');
  });
});
