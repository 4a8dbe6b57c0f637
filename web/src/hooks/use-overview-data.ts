import { useRef } from 'react';
import type { TGranularity } from '@pulse/shared/analytics';
import { rangeForPreset, type TDatePreset } from '../lib/date-presets.ts';
import { trpc } from '../lib/trpc.ts';
import type { TGranularityChoice } from '../stores/overview-store.ts';

const REFRESH_AT_MOST_EVERY_MS = 2_000;

/** 'auto' is hour buckets for ranges of up to two days, day buckets beyond. */
export function granularityFor(preset: TDatePreset, choice: TGranularityChoice): TGranularity {
  if (choice !== 'auto') return choice;
  return preset === 'today' || preset === '24h' ? 'hour' : 'day';
}

export function useTimeseries(preset: TDatePreset, choice: TGranularityChoice, timeZone: string) {
  return trpc.analytics.timeseries.useQuery(
    { ...rangeForPreset(preset), granularity: granularityFor(preset, choice), timeZone },
    { placeholderData: (previous) => previous },
  );
}

export function useTopPages(preset: TDatePreset) {
  return trpc.analytics.topPages.useQuery({ ...rangeForPreset(preset), limit: 8 }, { placeholderData: (previous) => previous });
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
