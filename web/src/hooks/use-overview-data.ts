import { useRef } from 'react';
import type { TGranularity, TSummaryRequest } from '@pulse/shared/analytics';
import { trpc } from '../lib/trpc.ts';
import type { TGranularityChoice } from '../stores/overview-store.ts';

const REFRESH_AT_MOST_EVERY_MS = 2_000;

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

/**
 * Keeps the Overview current: every commit for this tenant (analytics.live) marks the analytics answers stale,
 * at most every two seconds; the server has already retired the cached answers those events change.
 */
export function useLiveRefresh(): void {
  const utils = trpc.useUtils();
  const lastRefresh = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  trpc.analytics.live.useSubscription(undefined, {
    onData: () => {
      if (pending.current) return;
      const wait = Math.max(0, lastRefresh.current + REFRESH_AT_MOST_EVERY_MS - Date.now());
      pending.current = setTimeout(() => {
        pending.current = null;
        lastRefresh.current = Date.now();
        void utils.analytics.invalidate();
      }, wait);
    },
  });
}
