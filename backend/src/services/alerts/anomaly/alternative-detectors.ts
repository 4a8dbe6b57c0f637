// Detectors `npm run bench:alerts` measures against the product's (anomaly-detector.ts), kept so the comparison
// in docs/BENCHMARKS.md can be re-run. None of them is used to judge alert rules.
import {
  MAD_TO_SIGMA,
  POISSON_ROOT_SPREAD,
  fromRoot,
  median,
  medianAbsoluteDeviation,
  seasonalWindowEnds,
  toRoot,
  type AnomalyVerdict,
  type JudgedWindow,
  type SeriesHistory,
} from './anomaly-detector.ts';

type Band = Omit<AnomalyVerdict, 'verdict'>;

function verdictFor(value: number, band: Band, z: number, minVolume: number): AnomalyVerdict {
  if (band.score > z && value >= minVolume) return { verdict: 'high', ...band };
  if (band.baseline < minVolume) return { verdict: 'insufficient', ...band };
  return { verdict: band.score < -z ? 'low' : 'normal', ...band };
}

/** A band of ±z × spread around `baseline`, on the counts themselves. */
const linearBand = (value: number, baseline: number, spread: number, z: number): Band => ({
  baseline,
  lower: Math.max(0, baseline - z * spread),
  upper: baseline + z * spread,
  score: (value - baseline) / spread,
});

const INSUFFICIENT: AnomalyVerdict = { verdict: 'insufficient', baseline: 0, lower: 0, upper: 0, score: 0 };

function seasonalValues(window: JudgedWindow, history: SeriesHistory, weeks: number): number[] {
  return seasonalWindowEnds(window.windowEnd, weeks)
    .map((end) => history.valueAt(end))
    .filter((value): value is number => value !== null);
}

/**
 * The seasonal median and MAD on the counts themselves (docs' "robust start"): spread = max(1.4826 × MAD,
 * √median, 1, relativeSpread × median), band = median ± z × spread.
 */
export function detectSeasonalLinear(
  window: JudgedWindow,
  history: SeriesHistory,
  options: { weeks: number; minWeeks: number; z: number; minVolume: number; relativeSpread: number },
): AnomalyVerdict {
  const values = seasonalValues(window, history, options.weeks);
  if (values.length < options.minWeeks) return INSUFFICIENT;
  const baseline = median(values);
  const spread = Math.max(MAD_TO_SIGMA * medianAbsoluteDeviation(values, baseline), Math.sqrt(baseline), 1, options.relativeSpread * baseline);
  return verdictFor(window.value, linearBand(window.value, baseline, spread, options.z), options.z, options.minVolume);
}

/**
 * A Poisson test against the seasonal median: the band is what counting noise alone allows around it (±z on the
 * square-root scale, where Poisson noise is 0.5), with no allowance for how much the weeks themselves differ.
 */
export function detectSeasonalPoisson(
  window: JudgedWindow,
  history: SeriesHistory,
  options: { weeks: number; minWeeks: number; z: number; minVolume: number },
): AnomalyVerdict {
  const values = seasonalValues(window, history, options.weeks);
  if (values.length < options.minWeeks) return INSUFFICIENT;
  const center = toRoot(median(values));
  const band = {
    baseline: fromRoot(center),
    lower: fromRoot(center - options.z * POISSON_ROOT_SPREAD),
    upper: fromRoot(center + options.z * POISSON_ROOT_SPREAD),
    score: (toRoot(window.value) - center) / POISSON_ROOT_SPREAD,
  };
  return verdictFor(window.value, band, options.z, options.minVolume);
}

/** Not seasonal: the mean and standard deviation of the last `windows` windows (a rolling z-score). */
export function detectRollingZScore(window: JudgedWindow, history: SeriesHistory, options: { windows: number; z: number; minVolume: number }): AnomalyVerdict {
  const values: number[] = [];
  for (let back = 1; back <= options.windows; back += 1) {
    const value = history.valueAt(new Date(window.windowEnd.getTime() - back * window.windowMs));
    if (value !== null) values.push(value);
  }
  if (values.length < options.windows / 2) return INSUFFICIENT;
  const mean = values.reduce((total, value) => total + value, 0) / values.length;
  const deviation = Math.sqrt(values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length);
  return verdictFor(window.value, linearBand(window.value, mean, Math.max(deviation, Math.sqrt(mean), 1), options.z), options.z, options.minVolume);
}
