/**
 * Masks a card holder's name for display: first and last character kept, the rest replaced by ○
 * (陳大明 -> 陳○明, 王明 -> 王○). The full name is never shown in extension pages.
 */
export function maskName(name: string): string {
  // Graphemes, so a character outside the BMP or with combining marks is one character here.
  const characters = Array.from(new Intl.Segmenter('zh-TW', { granularity: 'grapheme' }).segment(name.trim()), (part) => part.segment);
  const first = characters[0];
  const last = characters[characters.length - 1];
  if (first === undefined || last === undefined) return '';
  if (characters.length <= 2) return `${first}○`;
  // A long (e.g. romanized) name keeps its shape without revealing its length exactly.
  return `${first}${'○'.repeat(Math.min(characters.length - 2, 3))}${last}`;
}
