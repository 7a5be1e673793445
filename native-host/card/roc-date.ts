/** ROC (Minguo) calendar dates as stored on the card: `YYYMMDD`, where ROC year + 1911 = Gregorian year. */
import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';

const ROC_YEAR_OFFSET = 1911;
const ROC_DATE = /^(\d{3})(\d{2})(\d{2})$/u;

/**
 * Converts ROC `YYYMMDD` (ROC years 1..999) to Gregorian `YYYY-MM-DD`. Throws InvalidCardData
 * naming `field`, never the value (it may be a birth date).
 */
export function rocToIso(roc: string, field = 'date'): string {
  const match = ROC_DATE.exec(roc);
  const [, yearText, monthText, dayText] = match ?? [];
  if (yearText === undefined || monthText === undefined || dayText === undefined) throw invalidDate(field);
  const year = Number(yearText) + ROC_YEAR_OFFSET;
  const month = Number(monthText);
  const day = Number(dayText);
  if (year === ROC_YEAR_OFFSET || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw invalidDate(field);
  }
  return `${String(year)}-${monthText}-${dayText}`;
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC keeps local time zones out of it.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function invalidDate(field: string): NhiCardError {
  return new NhiCardError(ErrorCode.InvalidCardData, `${field} is not a valid ROC date`);
}
