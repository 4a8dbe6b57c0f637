// The series `npm run bench:alerts` judges: hourly counts at three volumes, each from several seeds, half of them
// growing 1 % a week, with 8 weeks of warm-up then incidents (the generator: synthetic-series.ts, next to the
// detector, since the unit test that holds the detector's figures uses it too).
import type { LabelledSeries } from '@pulse/backend/services/alerts/anomaly/evaluation';
import { generateAlertSeries } from '@pulse/backend/services/alerts/anomaly/synthetic-series';

/** Mean events per hour: a small site, a mid-sized one, a large one. */
export const BENCH_VOLUMES = [20, 500, 20_000] as const;
export const WARMUP_WEEKS = 8;
const WEEKLY_GROWTH = 0.01;

export interface BenchSeries {
  volume: number;
  growing: boolean;
  series: LabelledSeries;
}

/** `seedsPerVolume` series per volume, each with `evaluationWeeks` judged weeks; the same arguments give the same series. */
export function benchmarkSeries(seedsPerVolume: number, evaluationWeeks: number): BenchSeries[] {
  return BENCH_VOLUMES.flatMap((volume) =>
    Array.from({ length: seedsPerVolume }, (_, index) => {
      const growing = index % 2 === 1;
      const series = generateAlertSeries({
        seed: 1_000 * (index + 1) + volume,
        meanPerHour: volume,
        warmupWeeks: WARMUP_WEEKS,
        evaluationWeeks,
        weeklyGrowth: growing ? WEEKLY_GROWTH : 0,
      });
      return { volume, growing, series };
    }),
  );
}
