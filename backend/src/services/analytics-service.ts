import {
  CATALOG_SAMPLE_EVENTS,
  type TBreakdownRequest,
  type TBreakdownResponse,
  type TCatalogRequest,
  type TCatalogResponse,
  type TPropertyBreakdownRequest,
  type TPropertyBreakdownResponse,
  type TGranularity,
  type TSummaryRequest,
  type TSummaryResponse,
  type TTimeseriesRequest,
  type TTimeseriesResponse,
  type TTopPagesRequest,
  type TTopPagesResponse,
  type TDegraded,
  type TTotals,
} from '@pulse/shared/analytics';
import { AppError } from '../errors/app-error.ts';
import type { BreakerRegistry } from '../infra/breakers/breaker-registry.ts';
import type { TFilter } from '@pulse/shared/filters';
import type { AnalyticsRepository, NameCount, TimeSegment } from '../repositories/analytics-repository.ts';
import type { RollupDimension } from '../repositories/rollup-sql.ts';
import { CachedAnswers, type AnswerCache } from './cached-answers.ts';
import { DatabaseReads } from './database-reads.ts';
import { TimeZoneCheck } from './time-zone-check.ts';
import { minuteRollupsFrom, splitIntoSegments, wholeDays, type CountSource } from './time-segments.ts';
import { FilteredRanges, valueDimensionOf } from './filtered-ranges.ts';
import type { ValueRollupRepository } from '../repositories/value-rollup-repository.ts';
import { propertyDimension } from '../repositories/value-rollup-sql.ts';

const MAX_POINTS = 10_000;
const APPROX_UNIT_MS: Record<TGranularity, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 28 * 86_400_000,
};

type Range = { from: string; to: string };

/** Under load, a series with more points than this is served at the next coarser granularity (to day). */
const MAX_POINTS_UNDER_PRESSURE = 48;
const COARSER: Partial<Record<TGranularity, TGranularity>> = { minute: 'hour', hour: 'day' };

function coarserUnderPressure(granularity: TGranularity, rangeMs: number): TGranularity {
  let served = granularity;
  while (COARSER[served] && rangeMs / APPROX_UNIT_MS[served] > MAX_POINTS_UNDER_PRESSURE) served = COARSER[served]!;
  return served;
}

export type { AnswerCache } from './cached-answers.ts';

/** A summary's load runs four queries at once (totals and uniques, this period and the one before). */
const SUMMARY_CONNECTIONS = 4;
/** Event names and property keys a catalog lists at most: enough for a picker. */
const CATALOG_LIMIT = 100;

/**
 * Dashboard questions, answered from rollups (value rollups and raw events when filtered) and cached (see
 * CachedAnswers).
 */
export class AnalyticsService {
  private readonly answers: CachedAnswers;
  private readonly timeZones: TimeZoneCheck;

  private readonly filteredRanges: FilteredRanges;

  constructor(
    private readonly analytics: AnalyticsRepository,
    valueRollups: Pick<ValueRollupRepository, 'coveredDays'>,
    cache: AnswerCache,
    private readonly breakers: Pick<BreakerRegistry, 'run' | 'state'>,
    /** True while the instance is busy: long series are then served coarser. */
    private readonly underPressure: () => boolean = () => false,
    /** Loads (cache misses) within each tenant's share of the connections; without one, no share (benchmarks). */
    reads: DatabaseReads | null = null,
  ) {
    this.answers = new CachedAnswers(cache, breakers, reads ?? new DatabaseReads(breakers, null));
    this.filteredRanges = new FilteredRanges(valueRollups);
    this.timeZones = new TimeZoneCheck(() => breakers.run('postgres-read', () => analytics.timeZoneNames()));
  }

  /**
   * Totals and counts per event name over [from, to), with the totals of the period just before; only the
   * events that meet every filter, when there are filters.
   */
  async summary(tenantId: number, request: TSummaryRequest): Promise<TSummaryResponse> {
    const from = new Date(request.from);
    const to = new Date(request.to);
    const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
    const filters = request.filters ?? [];
    const totalsOf = (start: Date, end: Date) => this.totals(tenantId, start, end, filters);
    const key = { from: request.from, to: request.to, ...(filters.length > 0 ? { filters } : {}) };
    return this.answers.answer(tenantId, 'summary', key, { from: previousFrom, to }, SUMMARY_CONNECTIONS, async () => {
      const [current, previous] = await Promise.all([totalsOf(from, to), totalsOf(previousFrom, from)]);
      const { byType, ...totals } = current;
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        ...totals,
        byType,
        previous: { from: previousFrom.toISOString(), to: from.toISOString(), ...withoutByType(previous) },
      };
    });
  }

  async timeseries(tenantId: number, request: TTimeseriesRequest): Promise<TTimeseriesResponse> {
    const granularity = request.granularity ?? 'day';
    const timeZone = request.timeZone ?? 'UTC';
    const from = new Date(request.from);
    const to = new Date(request.to);
    const points = Math.ceil((to.getTime() - from.getTime()) / APPROX_UNIT_MS[granularity]);
    if (points > MAX_POINTS) {
      throw new AppError(
        'BAD_REQUEST',
        `a ${granularity} series over this range has about ${points.toLocaleString('en-US')} points; the limit is ` +
          `${MAX_POINTS.toLocaleString('en-US')}: choose a coarser granularity or a shorter range`,
      );
    }
    await this.timeZones.check(timeZone);
    const served = this.underPressure() ? coarserUnderPressure(granularity, to.getTime() - from.getTime()) : granularity;
    if (served !== granularity) {
      const answer = await this.timeseries(tenantId, { ...request, granularity: served });
      const degraded: TDegraded = {
        reason: 'overload',
        message: `the server is busy: this series is by ${served} instead of by ${granularity}`,
        granularity: served,
        requested: granularity,
      };
      return { ...answer, degraded: answer.degraded ?? degraded };
    }
    return this.answers.answer(tenantId, 'timeseries', { ...request, granularity, timeZone }, { from, to }, 1, async () => {
      const filters = request.filters ?? [];
      const segments = filters.length > 0 ? rawOnly(from, to) : countSegments(from, to, coarsestSourceFor(granularity, timeZone, from, to));
      const series = await this.analytics.timeseries(tenantId, segments, { from, to, unit: granularity, timeZone, name: request.name, filters });
      return { granularity, timeZone, points: series.map((point) => ({ bucket: point.bucket.toISOString(), count: point.count })) };
    });
  }

  async topPages(tenantId: number, request: TTopPagesRequest): Promise<TTopPagesResponse> {
    return this.answers.answer(tenantId, 'top-pages', request, rangeOf(request), 1, async () => {
      const rows = await this.dimension(tenantId, 'path', request, request.limit ?? 10);
      return { pages: rows.map((row) => ({ path: row.value, views: row.count })) };
    });
  }

  async breakdown(tenantId: number, request: TBreakdownRequest): Promise<TBreakdownResponse> {
    const limit = request.limit ?? 10;
    return this.answers.answer(tenantId, 'breakdown', request, rangeOf(request), 1, async () => {
      if (request.by === 'type') {
        const from = new Date(request.from);
        const to = new Date(request.to);
        const filters = request.filters ?? [];
        const counts = await this.analytics.countsByName(tenantId, filters.length > 0 ? rawOnly(from, to) : countSegments(from, to), filters);
        return { by: request.by, rows: counts.slice(0, limit).map((row) => ({ value: row.name, count: row.count })) };
      }
      return { by: request.by, rows: await this.dimension(tenantId, request.by, request, limit) };
    });
  }

  /** The top values of one property, and the events with it whose value is not among them. */
  async propertyBreakdown(tenantId: number, request: TPropertyBreakdownRequest): Promise<TPropertyBreakdownResponse> {
    return this.answers.answer(tenantId, 'property-breakdown', request, rangeOf(request), 1, async () => {
      const filters = request.filters ?? [];
      // The key's value rollups serve it unless a filter is on something else (or asks for events without the key).
      const dimension = filters.length === 0 || valueDimensionOf(filters) === propertyDimension(request.key) ? propertyDimension(request.key) : null;
      const range = await this.filteredRanges.plan(tenantId, rangeOf(request), dimension);
      const { rows, total } = await this.analytics.propertyValueCounts(tenantId, range, request.key, request.limit ?? 10, filters);
      return { key: request.key, rows, other: total - rows.reduce((sum, row) => sum + row.count, 0) };
    });
  }

  /** What a tenant's events are called and carry, for pickers: event names from the rollups, property keys from a sample. */
  async catalog(tenantId: number, request: TCatalogRequest): Promise<TCatalogResponse> {
    return this.answers.answer(tenantId, 'catalog', request, rangeOf(request), 1, async () => {
      const range = { from: new Date(request.from), to: new Date(request.to) };
      const [names, propertyKeys] = await Promise.all([
        this.analytics.countsByName(tenantId, countSegments(range.from, range.to)),
        this.analytics.propertyKeys(tenantId, range, CATALOG_SAMPLE_EVENTS, CATALOG_LIMIT),
      ]);
      return { eventNames: names.slice(0, CATALOG_LIMIT), propertyKeys };
    });
  }

  private async totals(tenantId: number, from: Date, to: Date, filters: readonly TFilter[]): Promise<TTotals & { byType: NameCount[] }> {
    if (filters.length > 0) {
      const range = await this.filteredRanges.plan(tenantId, { from, to }, valueDimensionOf(filters));
      const { byName, ...totals } = await this.analytics.filteredTotals(tenantId, range, filters);
      return { ...totals, byType: byName };
    }
    const [byType, uniques] = await Promise.all([
      this.analytics.countsByName(tenantId, countSegments(from, to)),
      this.analytics.uniques(tenantId, splitIntoSegments(from, to, { finest: 'hour' })),
    ]);
    return { totalEvents: byType.reduce((sum, row) => sum + row.count, 0), ...uniques, byType };
  }

  private dimension(tenantId: number, dimension: RollupDimension, range: Range & { filters?: readonly TFilter[] }, limit: number) {
    const from = new Date(range.from);
    const to = new Date(range.to);
    const filters = range.filters ?? [];
    return this.analytics.dimensionCounts(tenantId, dimension, from, to, filters.length > 0 ? null : wholeDays(from, to), limit, filters);
  }
}

const rangeOf = (range: Range) => ({ from: new Date(range.from), to: new Date(range.to) });

function withoutByType({ byType: _byType, ...totals }: TTotals & { byType: NameCount[] }): TTotals {
  return totals;
}

/** Segments of [from, to) counted by name: rollups up to `coarsest`, minutes only where they are still kept. */
function countSegments(from: Date, to: Date, coarsest: Exclude<CountSource, 'raw'> = 'day'): TimeSegment[] {
  return splitIntoSegments(from, to, { coarsest, minutesFrom: minuteRollupsFrom(new Date()) });
}

/**
 * The coarsest rollup whose buckets line up with the requested ones: UTC days only for UTC day-or-longer
 * buckets; hours for zones whose offset is whole hours; quarter-hours for the others (India's +5:30, Nepal's
 * +5:45); minutes for the odd historical offset that is none of these.
 */
function coarsestSourceFor(granularity: TGranularity, timeZone: string, from: Date, to: Date): Exclude<CountSource, 'raw'> {
  if (granularity === 'minute') return 'minute';
  const offsets = [from, to].map((time) => offsetMinutes(timeZone, time));
  if (!offsets.every((offset) => offset % 15 === 0)) return 'minute';
  if (!offsets.every((offset) => offset % 60 === 0)) return 'quarter';
  if (granularity === 'hour') return 'hour';
  return timeZone === 'UTC' || timeZone === 'Etc/UTC' ? 'day' : 'hour';
}

function offsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((part) => part.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/**
 * A filtered series, top list or breakdown is asked of the raw events alone: the time rollups count by name and
 * the dimension rollup by one dimension at a time, so they cannot say how many events met several conditions.
 * (Filtered summaries and property breakdowns read value rollups where they can: see FilteredRanges.)
 */
function rawOnly(from: Date, to: Date): TimeSegment[] {
  return [{ source: 'raw', from, to }];
}
