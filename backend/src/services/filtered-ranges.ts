import type { FilteredRange, Interval } from '../repositories/analytics-repository.ts';
import type { ValueRollupRepository } from '../repositories/value-rollup-repository.ts';
import type { TFilter } from '@pulse/shared/filters';
import { propertyDimension, type ValueDimension } from '../repositories/value-rollup-sql.ts';
import { wholeDays } from './time-segments.ts';

const DAY_MS = 86_400_000;

/**
 * Splits a filtered question's range into the whole UTC days its value rollups can answer and the raw rows of
 * everything else: the partial days at its edges, today, and days whose rollups are not built or are stale.
 */
export class FilteredRanges {
  constructor(private readonly valueRollups: Pick<ValueRollupRepository, 'coveredDays'>) {}

  async plan(tenantId: number, range: Interval, dimension: ValueDimension | null): Promise<FilteredRange> {
    const days = dimension === null ? null : wholeDays(range.from, range.to);
    const rolledDays = days && dimension ? await this.valueRollups.coveredDays(tenantId, days, dimension) : [];
    return { dimension, rolledDays, raw: rawIntervals(range, rolledDays) };
  }
}

/** [from, to) less the given (sorted, whole, inside) days, as few intervals as possible. */
export function rawIntervals({ from, to }: Interval, rolledDays: readonly Date[]): Interval[] {
  const intervals: Interval[] = [];
  let start = from.getTime();
  for (const day of rolledDays) {
    if (day.getTime() > start) intervals.push({ from: new Date(start), to: day });
    start = day.getTime() + DAY_MS;
  }
  if (to.getTime() > start) intervals.push({ from: new Date(start), to });
  return intervals;
}

/** Operators whose matches are among the events that carry the property (rolled-up rows are only those). */
const PROPERTY_OPERATORS_WITHIN_ROWS = new Set(['is', 'contains', 'startsWith', 'isSet', 'gt', 'gte', 'lt', 'lte']);

/**
 * The one dimension the value rollups can answer these filters from, or null. They can when every filter is on
 * the same dimension (an event's match then depends on its value of it alone) and, for a property, none asks for
 * events without it ("is not", "does not contain", "is not set"): those events have no rows of the key.
 */
export function valueDimensionOf(filters: readonly TFilter[]): ValueDimension | null {
  const dimensions = new Set(filters.map((filter) => (filter.field === 'property' ? propertyDimension(filter.key) : filter.field)));
  if (dimensions.size !== 1) return null;
  const withinRows = filters.every((filter) => filter.field !== 'property' || PROPERTY_OPERATORS_WITHIN_ROWS.has(filter.operator));
  return withinRows ? [...dimensions][0]! : null;
}
