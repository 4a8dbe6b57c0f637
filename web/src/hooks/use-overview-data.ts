import { skipToken } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { TBreakdownDimension, TBreakdownRequest, TGranularity, TSummaryRequest } from '@pulse/shared/analytics';
import type { TFilterColumn, TFilters } from '@pulse/shared/filters';
import { filtersToQuery } from '../lib/filter-hash.ts';
import { trpc } from '../lib/trpc.ts';
import { useLiveDeltas } from './use-live-feed.ts';
import { withFilters } from './use-summary.ts';

const REFRESH_AT_MOST_EVERY_MS = 2_000;
// Seven reads per refresh: at the headline's pace they alone would spend a free plan's reads (100 a minute).
const REFRESH_BREAKDOWNS_AT_MOST_EVERY_MS = 30_000;
const BREAKDOWN_ROWS = 8;
// Enough to name every crawler of a busy site; the line sums them.
const BOT_ROWS = 100;
/** Names and keys change rarely: the pickers need not ask again each time they open. */
const CATALOG_FRESH_MS = 60_000;

/** Suggestions a filter's value picker offers. */
const SUGGESTED_VALUES = 20;

/**
 * A previous answer stands in while the next one loads (a minute passing, a new range) only for the same
 * filters: numbers counted under other filters would pass for these.
 */
function keptForFilters(filters: TFilters) {
  const filtersKey = filtersToQuery(filters);
  return {
    meta: { filtersKey },
    placeholderData: <TData>(previous: TData | undefined, previousQuery: { meta?: Record<string, unknown> } | undefined) =>
      previousQuery?.meta?.filtersKey === filtersKey ? previous : undefined,
  };
}

export function useTimeseries(range: TSummaryRequest, granularity: TGranularity, timeZone: string, filters: TFilters) {
  return trpc.analytics.timeseries.useQuery(withFilters({ ...range, granularity, timeZone }, filters), keptForFilters(filters));
}

/** The Overview's top pages question (its CSV download asks the same). */
export const topPagesInput = (range: TSummaryRequest, filters: TFilters) => withFilters({ ...range, limit: 8 }, filters);

export function useTopPages(range: TSummaryRequest, filters: TFilters) {
  return trpc.analytics.topPages.useQuery(topPagesInput(range, filters), keptForFilters(filters));
}

/** An Overview breakdown card's question (its CSV download asks the same). */
export const breakdownInput = (range: TSummaryRequest, by: Exclude<TBreakdownDimension, 'bot'>, filters: TFilters) =>
  withFilters({ ...range, by, limit: BREAKDOWN_ROWS }, filters);

/** The top values of one dimension; a previous answer stands in only for the same dimension and filters. */
export function useBreakdown(range: TSummaryRequest, by: Exclude<TBreakdownDimension, 'bot'>, filters: TFilters) {
  const kept = keptForFilters(filters);
  return trpc.analytics.breakdown.useQuery(breakdownInput(range, by, filters), {
    meta: kept.meta,
    placeholderData: (previous, previousQuery) => (previous?.by === by ? kept.placeholderData(previous, previousQuery) : undefined),
  });
}

/** Bot events the other answers leave out: their sum and each crawler's count. */
export function useBotsExcluded(range: TSummaryRequest, filters: TFilters) {
  return trpc.analytics.breakdown.useQuery(withFilters<TBreakdownRequest>({ ...range, by: 'bot', limit: BOT_ROWS }, filters), {
    ...keptForFilters(filters),
    select: (answer) => ({ total: answer.rows.reduce((sum, row) => sum + row.count, 0), crawlers: answer.rows }),
  });
}

/** Event names and property keys of the range, for the filter pickers; asked for only while `enabled`. */
export function useCatalog(range: TSummaryRequest, enabled: boolean) {
  return trpc.analytics.catalog.useQuery(enabled ? range : skipToken, { staleTime: CATALOG_FRESH_MS });
}

/** The values a column takes most often in the range (under the other filters), for a filter's value picker. */
export function useFilterValueSuggestions(range: TSummaryRequest, field: TFilterColumn | null, filters: TFilters): string[] {
  const by: Exclude<TFilterColumn, 'name' | 'path'> | null = field === null || field === 'name' || field === 'path' ? null : field;
  const catalog = useCatalog(range, field === 'name');
  const pages = trpc.analytics.topPages.useQuery(field === 'path' ? withFilters({ ...range, limit: SUGGESTED_VALUES }, filters) : skipToken);
  const breakdown = trpc.analytics.breakdown.useQuery(by ? withFilters({ ...range, by, limit: SUGGESTED_VALUES }, filters) : skipToken);
  if (field === 'name') return catalog.data?.eventNames.map((event) => event.name) ?? [];
  if (field === 'path') return pages.data?.pages.map((page) => page.path) ?? [];
  return by ? (breakdown.data?.rows.map((row) => row.value) ?? []) : [];
}

/** `run` at most once per `intervalMs`: a call within the interval schedules one run at its end. */
function useThrottled(intervalMs: number, run: () => void): () => void {
  const lastRun = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(pending.current ?? undefined), []);
  return () => {
    if (pending.current) return;
    const wait = Math.max(0, lastRun.current + intervalMs - Date.now());
    pending.current = setTimeout(() => {
      pending.current = null;
      lastRun.current = Date.now();
      run();
    }, wait);
  };
}

/**
 * Keeps the Overview current: every commit for this tenant (on the tab's analytics.live stream) marks the
 * analytics answers stale, the headline ones at most every two seconds, the breakdowns at most every thirty;
 * the server has already retired the cached answers those events change.
 */
export function useLiveRefresh(): void {
  const utils = trpc.useUtils();
  const refreshHeadline = useThrottled(REFRESH_AT_MOST_EVERY_MS, () => {
    void utils.analytics.summary.invalidate();
    void utils.analytics.timeseries.invalidate();
    void utils.analytics.topPages.invalidate();
    void utils.usage.get.invalidate();
  });
  const refreshBreakdowns = useThrottled(REFRESH_BREAKDOWNS_AT_MOST_EVERY_MS, () => void utils.analytics.breakdown.invalidate());
  useLiveDeltas((delta) => {
    // A delta of alert changes only adds no events: the answers it would refresh are still right.
    if (delta.accepted === 0) return;
    refreshHeadline();
    refreshBreakdowns();
  });
}
