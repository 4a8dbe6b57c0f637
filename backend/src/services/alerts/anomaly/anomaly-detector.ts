// The anomaly detector of alert rules: a window's count judged against the same window of the past weeks.
// Counts are compared on a square-root scale (Anscombe's transform), where Poisson noise has the same spread,
// 0.5, at every volume: a band drawn there is as wide as counting noise allows at 20 events and as wide as the
// weeks' own variation at 20,000. `npm run bench:alerts` measured it against the alternatives in
// alternative-detectors.ts (docs/BENCHMARKS.md).

export const WEEK_MS = 7 * 24 * 3_600_000;

/** A window's count of events: the window ends (exclusively) at `windowEnd`. */
export interface WindowValue {
  windowEnd: Date;
  value: number;
}

/** The window being judged: its end, its length and its count. */
export interface JudgedWindow extends WindowValue {
  windowMs: number;
}

/**
 * Earlier windows' counts, as read from rollups. 0 is a window without events; null a window the metric has no
 * data for (before the tenant existed, or past retention), which the baseline leaves out.
 */
export interface SeriesHistory {
  valueAt(windowEnd: Date): number | null;
}

export type AnomalyVerdictKind = 'normal' | 'high' | 'low' | 'insufficient';

export interface AnomalyVerdict {
  verdict: AnomalyVerdictKind;
  /** The expected count: the median of the same window in the past weeks. */
  baseline: number;
  /** The band outside which a count is anomalous (what the dashboard draws). */
  lower: number;
  upper: number;
  /** How many robust standard deviations (on the square-root scale) the count lies from the baseline. */
  score: number;
}

export interface AnomalyOptions {
  /** Past weeks whose same window make the baseline. */
  weeks: number;
  /** With fewer past weeks holding data, the verdict is 'insufficient'. */
  minWeeks: number;
  /** Half-width of the band, in robust standard deviations. */
  z: number;
  /** No verdict below this many events: a baseline under it is 'insufficient', and a rise must pass it to be 'high'. */
  minVolume: number;
  /** The smallest spread, as a share of the baseline: traffic varies from week to week by more than counting noise. */
  relativeSpread: number;
  /**
   * The window is also judged together with the windows just before it, this many in all (1: alone): their sum
   * against the same sum in past weeks shows a sustained change too small for one window's counting noise.
   */
  trailingWindows: number;
  /** A run of identical counts (a stuck metric) is judged over at least `min` and at most `max` windows... */
  flatLineWindows: { min: number; max: number };
  /** ...and fires once chance alone would produce it with at most this probability (0: never). */
  flatLineProbability: number;
}

export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = {
  weeks: 8,
  minWeeks: 4,
  z: 4.5,
  minVolume: 10,
  relativeSpread: 0.1,
  trailingWindows: 2,
  flatLineWindows: { min: 3, max: 6 },
  flatLineProbability: 1e-4,
};

/** Counting noise on the square-root scale: Var(√(X + 3/8)) ≈ 1/4 for a Poisson X, whatever its mean. */
export const POISSON_ROOT_SPREAD = 0.5;
/** 1.4826 × MAD estimates the standard deviation of normally distributed values. */
export const MAD_TO_SIGMA = 1.4826;
/**
 * How far (robust standard deviations) the window itself must lie on the side its trailing sum breaches: without
 * it, a one-window spike keeps the sum high, and the alarm on, for a window after it ended.
 */
const TRAILING_SUPPORT = 1;

/** Anscombe's transform of a count, and back. */
export const toRoot = (count: number) => Math.sqrt(count + 0.375);
export const fromRoot = (root: number) => (root <= Math.sqrt(0.375) ? 0 : root * root - 0.375);

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median absolute deviation from `center`. */
export function medianAbsoluteDeviation(values: readonly number[], center = median(values)): number {
  return median(values.map((value) => Math.abs(value - center)));
}

/** The ends of the same window in each of the past `weeks` weeks, newest first (their values may be null). */
export function seasonalWindowEnds(windowEnd: Date, weeks: number): Date[] {
  return Array.from({ length: weeks }, (_, index) => new Date(windowEnd.getTime() - (index + 1) * WEEK_MS));
}

/**
 * Every earlier window `detectAnomaly` reads, oldest first, so a caller can fetch them from the rollups in one
 * query: the windows just before this one (for the trailing sum and flat-lines), and the same windows in each of
 * the past weeks (the same 5 minutes or hour of the week, the same weekday).
 */
export function anomalyHistoryWindowEnds(window: Pick<JudgedWindow, 'windowEnd' | 'windowMs'>, options: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS): Date[] {
  const end = window.windowEnd.getTime();
  const trailing = Array.from({ length: options.trailingWindows }, (_, index) => end - index * window.windowMs);
  const recent = Array.from({ length: options.flatLineWindows.max - 1 }, (_, index) => end - (index + 1) * window.windowMs);
  const seasonal = trailing.flatMap((time) => seasonalWindowEnds(new Date(time), options.weeks).map((date) => date.getTime()));
  return [...new Set([...recent, ...trailing.slice(1), ...seasonal])].sort((a, b) => a - b).map((time) => new Date(time));
}

/** A history over rows read from rollups; windows without a row are null (pass zero-count windows as 0). */
export function historyFromRows(rows: Iterable<WindowValue>): SeriesHistory {
  const values = new Map<number, number>();
  for (const row of rows) values.set(row.windowEnd.getTime(), row.value);
  return { valueAt: (windowEnd) => values.get(windowEnd.getTime()) ?? null };
}

/** The sum of `windows` consecutive windows, the last ending at `end`; null if any has no data. */
function sumOfWindows(history: SeriesHistory, end: number, windows: number, windowMs: number): number | null {
  let sum = 0;
  for (let index = 0; index < windows; index += 1) {
    const value = history.valueAt(new Date(end - index * windowMs));
    if (value === null) return null;
    sum += value;
  }
  return sum;
}

interface SeasonalBand {
  /** Baseline, lower and upper edge as counts. */
  baseline: number;
  lower: number;
  upper: number;
  /** On the square-root scale. */
  center: number;
  spread: number;
  weeks: number;
}

/** The band of the sum of `windows` windows ending at `end`, from the same sums in past weeks; null without any. */
function seasonalBand(history: SeriesHistory, end: number, windows: number, windowMs: number, options: AnomalyOptions): SeasonalBand | null {
  const roots: number[] = [];
  for (let week = 1; week <= options.weeks; week += 1) {
    const sum = sumOfWindows(history, end - week * WEEK_MS, windows, windowMs);
    if (sum !== null) roots.push(toRoot(sum));
  }
  if (roots.length === 0) return null;
  const center = median(roots);
  // A relative change r of a count moves its square root by about r/2 of it.
  const spread = Math.max(MAD_TO_SIGMA * medianAbsoluteDeviation(roots, center), POISSON_ROOT_SPREAD, (options.relativeSpread / 2) * center);
  const edge = (sigmas: number) => fromRoot(center + sigmas * spread);
  return { baseline: edge(0), lower: edge(-options.z), upper: edge(options.z), center, spread, weeks: roots.length };
}

/**
 * Whether the window closes a run of identical counts too long to be chance at this volume: two counts with a
 * standard deviation σ are equal with probability about 1/(2√π·σ), so a run of n has about that to the n−1.
 */
function isFlatLine(window: JudgedWindow, history: SeriesHistory, countSpread: number, options: AnomalyOptions): boolean {
  const pairEqual = Math.min(1, 1 / (2 * Math.sqrt(Math.PI) * countSpread));
  let run = 1;
  while (run < options.flatLineWindows.max && history.valueAt(new Date(window.windowEnd.getTime() - run * window.windowMs)) === window.value) run += 1;
  return run >= options.flatLineWindows.min && pairEqual ** (run - 1) <= options.flatLineProbability;
}

/**
 * Judges a window's count against its seasonal baseline: the median of the same window over the past weeks, with
 * a band of ±z robust standard deviations (1.4826 × MAD on the square-root scale, never less than counting noise
 * or `relativeSpread` of the baseline). The band narrows where the trailing sum (this window and the ones before
 * it) would breach its own band, so `lower`/`upper` are exactly where the verdict changes. A run of identical
 * counts that chance would not produce at this volume (a stuck metric) is 'low' or 'high' by its side of the
 * baseline. 'insufficient' with fewer than `minWeeks` weeks of history, or a baseline under `minVolume` that the
 * count does not rise above the band from.
 */
export function detectAnomaly(window: JudgedWindow, history: SeriesHistory, options: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS): AnomalyVerdict {
  const { windowMs, value } = window;
  const end = window.windowEnd.getTime();
  const single = seasonalBand(history, end, 1, windowMs, options);
  if (single === null) return { verdict: 'insufficient', baseline: 0, lower: 0, upper: 0, score: 0 };
  const score = (toRoot(value) - single.center) / single.spread;
  const { baseline } = single;
  if (single.weeks < options.minWeeks) return { verdict: 'insufficient', baseline, lower: single.lower, upper: single.upper, score };

  let judged = baseline >= options.minVolume;
  let lower = judged ? single.lower : 0;
  let upper = Math.max(single.upper, options.minVolume);
  const before = options.trailingWindows > 1 ? sumOfWindows(history, end - windowMs, options.trailingWindows - 1, windowMs) : null;
  const trailing = before === null ? null : seasonalBand(history, end, options.trailingWindows, windowMs, options);
  if (before !== null && trailing !== null && trailing.weeks >= options.minWeeks && trailing.baseline >= options.minVolume) {
    judged = true;
    lower = Math.max(lower, Math.min(trailing.lower - before, fromRoot(single.center - TRAILING_SUPPORT * single.spread)));
    upper = Math.min(upper, Math.max(trailing.upper - before, fromRoot(single.center + TRAILING_SUPPORT * single.spread), options.minVolume));
  }
  const answer = (verdict: AnomalyVerdictKind): AnomalyVerdict => ({ verdict, baseline, lower, upper, score });

  if (value > upper) return answer('high');
  if (value < lower) return answer('low');
  if (!judged) return answer('insufficient');
  if (baseline >= options.minVolume && options.flatLineProbability > 0) {
    const countSpread = 2 * Math.sqrt(baseline) * single.spread;
    if (isFlatLine(window, history, countSpread, options)) return answer(value > baseline ? 'high' : 'low');
  }
  return answer('normal');
}
