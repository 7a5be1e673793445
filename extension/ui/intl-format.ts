/**
 * Dates, times and lists as the UI shows them, in the UI's language through Intl: zh-TW reads
 * `2026/12/1 下午8:33`, English `12/1/2026, 8:33 PM`. Seconds are left out: nobody needs them to
 * recognise a read or a decision.
 */

const DATE_TIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit' };

/** `at` (ms since the epoch) as a short date and time in `locale` (a BCP 47 tag such as `zh-TW`). */
export function formatDateTime(at: number, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { ...DATE_TIME, ...(timeZone === undefined ? {} : { timeZone }) }).format(at);
}

/** Items joined the way `locale` writes a list: `姓名、身分證號和出生日期` in zh-TW, `Name, ID number, and Date of birth` in English. */
export function formatList(items: readonly string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}
