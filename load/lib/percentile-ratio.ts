import { percentile } from './load-run.ts';

export interface PercentileRatio {
  /** head's percentile ÷ base's. */
  ratio: number;
  /** The bootstrap interval of that ratio: the ratio is this low (high) or lower (higher) only by chance. */
  low: number;
  high: number;
}

const RESAMPLES = 2_000;

/** The same number of values drawn from `values` with replacement. */
function resample(values: readonly number[], random: () => number): number[] {
  return values.map(() => values[Math.floor(random() * values.length)]!);
}

/**
 * The ratio of two samples' p-th percentiles, with its bootstrap interval at `confidence`. A p95 of 30 timings is
 * their second highest, so one slow run moves it a lot: run against itself, bench:compare's p95 ratios reached 1.15,
 * and only a ratio whose whole interval is past a limit says the head is slower.
 */
export function percentileRatio(head: readonly number[], base: readonly number[], p: number, confidence = 0.9, random = Math.random): PercentileRatio {
  const ratios = Array.from({ length: RESAMPLES }, () => percentile(resample(head, random), p) / percentile(resample(base, random), p)).sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return {
    ratio: percentile(head, p) / percentile(base, p),
    low: ratios[Math.floor(tail * RESAMPLES)]!,
    high: ratios[Math.ceil((1 - tail) * RESAMPLES) - 1]!,
  };
}
