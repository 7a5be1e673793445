import { describe, expect, it } from 'vitest';
import { formatDateTime, formatList } from '../../../../extension/ui/intl-format';

// 2026-12-01 20:33:56 in Taipei (UTC+8), the example of issue 16.
const EVENING = Date.UTC(2026, 11, 1, 12, 33, 56);
const MORNING = Date.UTC(2026, 0, 5, 1, 7, 0);
const TAIPEI = 'Asia/Taipei';

/** ICU separates date and time with a thin space (U+2009) in zh-TW; the words around it are what matter. */
function plainSpaces(text: string): string {
  return text.replace(/\s/gu, ' ');
}

describe('formatDateTime', () => {
  it.each([
    { locale: 'zh-TW', at: EVENING, text: '2026/12/1 下午8:33' },
    { locale: 'zh-TW', at: MORNING, text: '2026/1/5 上午9:07' },
    { locale: 'en', at: EVENING, text: '12/1/2026, 8:33 PM' },
    { locale: 'en', at: MORNING, text: '1/5/2026, 9:07 AM' },
  ])('writes $text in $locale', ({ locale, at, text }) => {
    expect(plainSpaces(formatDateTime(at, locale, TAIPEI))).toBe(text);
  });

  it('never shows the US order or seconds in the Chinese UI', () => {
    const text = formatDateTime(EVENING, 'zh-TW', TAIPEI);
    expect(text).not.toContain('12/1/2026');
    expect(text).not.toContain(':56');
  });
});

describe('formatList', () => {
  it.each([
    { locale: 'zh-TW', text: '姓名、身分證號和出生日期' },
    { locale: 'en', text: 'Name, ID number, and Date of birth' },
  ])('joins fields the way $locale writes a list', ({ locale, text }) => {
    const items = locale === 'en' ? ['Name', 'ID number', 'Date of birth'] : ['姓名', '身分證號', '出生日期'];
    expect(formatList(items, locale)).toBe(text);
  });
});
