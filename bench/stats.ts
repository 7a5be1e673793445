/** Summary statistics of a sample of durations, in the unit they were measured in. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
}

/** Median, p95, min and max of `samples` (nearest-rank percentiles). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return { n: sorted.length, median: rank(0.5), p95: rank(0.95), min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}

/** Rounds to 3 decimals for readable reports. */
export const round3 = (value: number): number => Math.round(value * 1000) / 1000;
