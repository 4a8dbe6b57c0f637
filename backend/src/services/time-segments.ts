import type { CountSource, TimeSegment } from '../repositories/analytics-repository.ts';

export type { CountSource, TimeSegment };

type RollupSource = Exclude<CountSource, 'raw'>;

const HOUR_MS = 3_600_000;
const UNIT_MS: Record<RollupSource, number> = { minute: 60_000, quarter: 900_000, hour: HOUR_MS, day: 24 * HOUR_MS };
const ORDER: readonly RollupSource[] = ['minute', 'quarter', 'hour', 'day'];

const floorTo = (time: number, unitMs: number) => Math.floor(time / unitMs) * unitMs;
const ceilTo = (time: number, unitMs: number) => Math.ceil(time / unitMs) * unitMs;

/** Minute rollups are kept this long; the retention job deletes older ones every hour. */
export const MINUTE_ROLLUP_HOURS = 48;

/** Minute rollups before this are deleted by a retention run at `now` (whole hours). */
export function minuteRollupCutoff(now: Date): Date {
  return new Date(floorTo(now.getTime(), HOUR_MS) - MINUTE_ROLLUP_HOURS * HOUR_MS);
}

/**
 * The earliest time whose minutes are read from the minute rollup at `now`. It is an hour after the cutoff, so
 * that a retention run on an instance whose clock is ahead never deletes minutes another instance is reading.
 */
export function minuteRollupsFrom(now: Date): Date {
  return new Date(minuteRollupCutoff(now).getTime() + HOUR_MS);
}

export interface SegmentOptions {
  /** The coarsest rollup allowed (a series in a non-UTC zone cannot use UTC days). */
  coarsest?: RollupSource;
  /** The finest rollup there is for the question (unique counts have no minute or quarter-hour bitmaps). */
  finest?: RollupSource;
  /** Minutes before this are no longer in the minute rollup (see minuteRollupsFrom): raw events count them. */
  minutesFrom?: Date;
}

/**
 * Splits [from, to) into the fewest exact pieces: whole UTC days from the day rollup, the hours around them from
 * the hour rollup, then quarter-hours, minutes (recent ones only) and raw events at the edges.
 */
export function splitIntoSegments(from: Date, to: Date, options: SegmentOptions = {}): TimeSegment[] {
  const { coarsest = 'day', finest = 'minute', minutesFrom } = options;
  const units = ORDER.slice(ORDER.indexOf(finest), ORDER.indexOf(coarsest) + 1);
  const segments = split(from.getTime(), to.getTime(), units);
  if (!minutesFrom) return segments;
  return joinAdjacentRaw(segments.flatMap((segment) => withoutDeletedMinutes(segment, minutesFrom.getTime())));
}

function split(from: number, to: number, units: readonly RollupSource[]): TimeSegment[] {
  if (from >= to) return [];
  const unit = units.at(-1);
  if (!unit) return [{ source: 'raw', from: new Date(from), to: new Date(to) }];
  const start = ceilTo(from, UNIT_MS[unit]);
  const end = floorTo(to, UNIT_MS[unit]);
  const finer = units.slice(0, -1);
  if (start >= end) return split(from, to, finer);
  return [...split(from, start, finer), { source: unit, from: new Date(start), to: new Date(end) }, ...split(end, to, finer)];
}

/** A minute segment's part before `minutesFrom` is counted from raw events instead (at most a quarter-hour). */
function withoutDeletedMinutes(segment: TimeSegment, minutesFrom: number): TimeSegment[] {
  if (segment.source !== 'minute' || segment.from.getTime() >= minutesFrom) return [segment];
  if (segment.to.getTime() <= minutesFrom) return [{ ...segment, source: 'raw' }];
  return [
    { source: 'raw', from: segment.from, to: new Date(minutesFrom) },
    { source: 'minute', from: new Date(minutesFrom), to: segment.to },
  ];
}

function joinAdjacentRaw(segments: TimeSegment[]): TimeSegment[] {
  const joined: TimeSegment[] = [];
  for (const segment of segments) {
    const last = joined.at(-1);
    if (last?.source === 'raw' && segment.source === 'raw') joined[joined.length - 1] = { ...last, to: segment.to };
    else joined.push(segment);
  }
  return joined;
}

/** [start of the first whole UTC day, end of the last) inside [from, to), or null when there is none. */
export function wholeDays(from: Date, to: Date): { from: Date; to: Date } | null {
  const start = ceilTo(from.getTime(), UNIT_MS.day);
  const end = floorTo(to.getTime(), UNIT_MS.day);
  return start < end ? { from: new Date(start), to: new Date(end) } : null;
}
