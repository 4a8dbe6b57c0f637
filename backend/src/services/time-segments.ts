import type { CountSource, TimeSegment } from '../repositories/analytics-repository.ts';

export type { CountSource, TimeSegment };

const UNIT_MS: Record<Exclude<CountSource, 'raw'>, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const ORDER: readonly Exclude<CountSource, 'raw'>[] = ['minute', 'hour', 'day'];

const floorTo = (time: number, unitMs: number) => Math.floor(time / unitMs) * unitMs;
const ceilTo = (time: number, unitMs: number) => Math.ceil(time / unitMs) * unitMs;

/**
 * Splits [from, to) into the fewest exact pieces: whole UTC days from the day rollup, the hours around them
 * from the hour rollup, minutes from the minute rollup, and the sub-minute edges from raw events.
 * `coarsest` caps the rollups used (a timeseries in a non-UTC zone cannot use UTC days); `finest` is the
 * smallest one there is (unique counts have no minute bitmaps: their sub-hour edges are raw).
 */
export function splitIntoSegments(
  from: Date,
  to: Date,
  coarsest: Exclude<CountSource, 'raw'> = 'day',
  finest: Exclude<CountSource, 'raw'> = 'minute',
): TimeSegment[] {
  const units = ORDER.slice(ORDER.indexOf(finest), ORDER.indexOf(coarsest) + 1);
  return split(from.getTime(), to.getTime(), units);
}

function split(from: number, to: number, units: readonly Exclude<CountSource, 'raw'>[]): TimeSegment[] {
  if (from >= to) return [];
  const unit = units.at(-1);
  if (!unit) return [{ source: 'raw', from: new Date(from), to: new Date(to) }];
  const start = ceilTo(from, UNIT_MS[unit]);
  const end = floorTo(to, UNIT_MS[unit]);
  const finer = units.slice(0, -1);
  if (start >= end) return split(from, to, finer);
  return [...split(from, start, finer), { source: unit, from: new Date(start), to: new Date(end) }, ...split(end, to, finer)];
}

/** [start of the first whole UTC day, end of the last) inside [from, to), or null when there is none. */
export function wholeDays(from: Date, to: Date): { from: Date; to: Date } | null {
  const start = ceilTo(from.getTime(), UNIT_MS.day);
  const end = floorTo(to.getTime(), UNIT_MS.day);
  return start < end ? { from: new Date(start), to: new Date(end) } : null;
}
