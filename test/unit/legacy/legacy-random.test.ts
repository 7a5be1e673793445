import { describe, expect, it } from 'vitest';
import { randomDigits } from '../../../native-host/legacy/legacy-random';

describe('randomDigits', () => {
  it('draws 10,000 distinct 16-digit values with uniformly distributed digits', () => {
    const draws = Array.from({ length: 10_000 }, () => randomDigits());
    for (const draw of draws) expect(draw).toMatch(/^\d{16}$/u);
    expect(new Set(draws).size).toBe(draws.length);

    const counts = new Array<number>(10).fill(0);
    for (const draw of draws) for (const digit of draw) counts[Number(digit)] = (counts[Number(digit)] ?? 0) + 1;
    const expected = (draws.length * 16) / 10;
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: the 99.99th percentile is about 33.7; 40 keeps the test from flaking.
    expect(chiSquare).toBeLessThan(40);
  });

  it('discards bytes of 250 and above instead of folding them onto low digits', () => {
    // 250..255 would map to 0..5 and bias them; every one of them must be skipped.
    const bytes = [250, 251, 252, 253, 254, 255, ...Array.from({ length: 16 }, (_, index) => 9 + 10 * index)];
    let offset = 0;
    const source = (length: number): Uint8Array => {
      const chunk = Uint8Array.from(bytes.slice(offset, offset + length));
      offset += length;
      return chunk;
    };
    expect(randomDigits(source)).toBe('9999999999999999');
  });
});
