import { useEffect, useRef } from 'react';
import type { TBreakdownDimension, TGranularity, TSummaryRequest } from '@pulse/shared/analytics';
import { trpc } from '../lib/trpc.ts';
import type { TGranularityChoice } from '../stores/overview-store.ts';

const REFRESH_AT_MOST_EVERY_MS = 2_000;
// Seven reads per refresh: at the headline's pace they alone would spend a free plan's reads (100 a minute).
const REFRESH_BREAKDOWNS_AT_MOST_EVERY_MS = 30_000;
const BREAKDOWN_ROWS = 8;
// Enough to name every crawler of a busy site; the line sums them.
const BOT_ROWS = 100;

const TWO_DAYS_MS = 2 * 86_400_000;

/** 'auto' is hour buckets for ranges of up to two days, day buckets beyond. */
export function granularityFor(range: TSummaryRequest, choice: TGranularityChoice): TGranularity {
  if (choice !== 'auto') return choice;
  return Date.parse(range.to) - Date.parse(range.from) <= TWO_DAYS_MS ? 'hour' : 'day';
}

export function useTimeseries(range: TSummaryRequest, choice: TGranularityChoice, timeZone: string) {
  return trpc.analytics.timeseries.useQuery({ ...range, granularity: granularityFor(range, choice), timeZone }, { placeholderData: (previous) => previous });
}

export function useTopPages(range: TSummaryRequest) {
  return trpc.analytics.topPages.useQuery({ ...range, limit: 8 }, { placeholderData: (previous) => previous });
}

/** The top values of one dimension; a previous answer stands in only for the same dimension. */
export function useBreakdown(range: TSummaryRequest, by: Exclude<TBreakdownDimension, 'bot'>) {
  return trpc.analytics.breakdown.useQuery(
    { ...range, by, limit: BREAKDOWN_ROWS },
    { placeholderData: (previous) => (previous?.by === by ? previous : undefined) },
  );
}

/** Bot events the other answers leave out: their sum and each crawler's count. */
export function useBotsExcluded(range: TSummaryRequest) {
  return trpc.analytics.breakdown.useQuery(
    { ...range, by: 'bot', limit: BOT_ROWS },
    {
      placeholderData: (previous) => previous,
      select: (answer) => ({ total: answer.rows.reduce((sum, row) => sum + row.count, 0), crawlers: answer.rows }),
    },
  );
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
 * Keeps the Overview current: every commit for this tenant (analytics.live) marks the analytics answers stale,
 * the headline ones at most every two seconds, the breakdowns at most every thirty; the server has already
 * retired the cached answers those events change.
 */
export function useLiveRefresh(): void {
  const utils = trpc.useUtils();
  const refreshHeadline = useThrottled(REFRESH_AT_MOST_EVERY_MS, () => {
    void utils.analytics.summary.invalidate();
    void utils.analytics.timeseries.invalidate();
    void utils.analytics.topPages.invalidate();
  });
  const refreshBreakdowns = useThrottled(REFRESH_BREAKDOWNS_AT_MOST_EVERY_MS, () => void utils.analytics.breakdown.invalidate());
  trpc.analytics.live.useSubscription(undefined, {
    onData: () => {
      refreshHeadline();
      refreshBreakdowns();
    },
  });
}
