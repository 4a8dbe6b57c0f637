import type { TGranularity } from '@pulse/shared/analytics';

/** 'auto': the finest granularity that fits the range without crowding the chart. */
export type TGranularityChoice = 'auto' | TGranularity;

/** Finest first. */
export const GRANULARITIES: readonly TGranularity[] = ['minute', 'hour', 'day', 'week', 'month'];

export const GRANULARITY_LABELS: Record<TGranularityChoice, string> = {
  auto: 'Auto',
  minute: 'By minute',
  hour: 'By hour',
  day: 'By day',
  week: 'By week',
  month: 'By month',
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const UNIT_MS: Record<TGranularity, number> = { minute: 60_000, hour: HOUR_MS, day: DAY_MS, week: 7 * DAY_MS, month: 30 * DAY_MS };
// A local day is 23 or 25 hours long when the clocks change: a range of whole days may be an hour off.
const CLOCK_CHANGE_MS = HOUR_MS;
/** Beyond these a series has more points than a chart can show apart. */
const LONGEST_RANGE_MS: Partial<Record<TGranularity, number>> = { minute: DAY_MS + CLOCK_CHANGE_MS, hour: 31 * DAY_MS + CLOCK_CHANGE_MS };
/** 'auto' picks the finest granularity with at most this many buckets. */
const AUTO_MAX_POINTS = 100;

function holdsTwo(granularity: TGranularity, rangeMs: number): boolean {
  const slack = UNIT_MS[granularity] >= DAY_MS ? CLOCK_CHANGE_MS : 0;
  return rangeMs >= 2 * UNIT_MS[granularity] - slack;
}

/**
 * The granularities a range of `rangeMs` can be charted by: not too many buckets (minutes for a day at most,
 * hours for about a month) and at least two of them. A range shorter than two minutes still gets minutes.
 */
export function fittingGranularities(rangeMs: number): TGranularity[] {
  const fitting = GRANULARITIES.filter((granularity) => rangeMs <= (LONGEST_RANGE_MS[granularity] ?? Infinity) && holdsTwo(granularity, rangeMs));
  return fitting.length > 0 ? fitting : ['minute'];
}

/** The choice itself while it fits the range, else the fitting granularity nearest to it (the coarser on a tie). */
export function fitGranularityChoice(choice: TGranularityChoice, rangeMs: number): TGranularityChoice {
  if (choice === 'auto') return choice;
  const fitting = fittingGranularities(rangeMs);
  if (fitting.includes(choice)) return choice;
  const distance = (granularity: TGranularity) => Math.abs(GRANULARITIES.indexOf(granularity) - GRANULARITIES.indexOf(choice));
  return fitting.reduce((nearest, granularity) => (distance(granularity) <= distance(nearest) ? granularity : nearest));
}

/** What to ask the API for: 'auto' resolved, any other choice fitted to the range. */
export function resolveGranularity(choice: TGranularityChoice, rangeMs: number): TGranularity {
  const fitted = fitGranularityChoice(choice, rangeMs);
  if (fitted !== 'auto') return fitted;
  const fitting = fittingGranularities(rangeMs);
  return fitting.find((granularity) => rangeMs / UNIT_MS[granularity] <= AUTO_MAX_POINTS) ?? fitting.at(-1)!;
}

export function rangeMsOf(range: { from: string; to: string }): number {
  return Date.parse(range.to) - Date.parse(range.from);
}
