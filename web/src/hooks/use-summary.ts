import { skipToken } from '@tanstack/react-query';
import { useEffect } from 'react';
import { INSTANT_BOUNDS, type TSummaryRequest } from '@pulse/shared/analytics';
import type { TFilters } from '@pulse/shared/filters';
import { rangeForDays, type TCustomDays } from '../lib/date-presets.ts';
import { filtersToQuery } from '../lib/filter-hash.ts';
import { trpc } from '../lib/trpc.ts';
import { customChoiceKey, useOverviewStore } from '../stores/overview-store.ts';

/** A summary the page has just asked for (to check a range or filters) serves the tiles as it is for this long. */
const CHECKED_SUMMARY_FRESH_MS = 10_000;

/** A request with its filters; none named at all without filters, so unfiltered questions keep their cache keys. */
export function withFilters<TRequest extends object>(request: TRequest, filters: TFilters): TRequest & { filters?: TFilters } {
  return filters.length > 0 ? { ...request, filters } : request;
}

/** The options every summary query of the Overview shares: which view (range choice and filters) it answers. */
export function summaryQueryOptions(choiceKey: string, filters: TFilters) {
  return { meta: { viewKey: `${choiceKey}#${filtersToQuery(filters)}` }, staleTime: CHECKED_SUMMARY_FRESH_MS };
}

/** `choiceKey` names the chosen range: the old numbers stay while a minute passes, never across choices or filters. */
export function useSummary(range: TSummaryRequest, choiceKey: string, filters: TFilters) {
  const options = summaryQueryOptions(choiceKey, filters);
  return trpc.analytics.summary.useQuery(withFilters(range, filters), {
    ...options,
    placeholderData: (previous, previousQuery) => (previousQuery?.meta?.viewKey === options.meta.viewKey ? previous : undefined),
  });
}

/** The days' range, or null for a day no Date can hold (a date input takes years up to 275760). */
function rangeOfDays(days: TCustomDays): TSummaryRequest | null {
  const bounds = [days.firstDay, days.lastDay].map((day) => new Date(`${day}T00:00:00`).getTime());
  return bounds.every(Number.isFinite) ? rangeForDays(days) : null;
}

/**
 * Puts the custom days as typed to the API: days it accepts become the Overview's range (their summary is then
 * at hand); for days it refuses, the reason, to show beside the inputs while the tiles keep the last good days.
 */
export function useCustomDaysCheck(filters: TFilters): { refusal: unknown; checking: boolean } {
  const preset = useOverviewStore((state) => state.preset);
  const custom = useOverviewStore((state) => state.custom);
  const draft = useOverviewStore((state) => state.customDraft);
  const acceptCustom = useOverviewStore((state) => state.acceptCustom);
  const pending = preset === 'custom' && customChoiceKey(draft) !== customChoiceKey(custom);
  const typed = rangeOfDays(draft);
  const check = trpc.analytics.summary.useQuery(pending && typed ? withFilters(typed, filters) : skipToken, {
    ...summaryQueryOptions(customChoiceKey(draft), filters),
    retry: false,
  });
  const accepted = pending && typed !== null && check.isSuccess;
  const { firstDay, lastDay } = draft;
  useEffect(() => {
    if (accepted) acceptCustom({ firstDay, lastDay });
  }, [accepted, acceptCustom, firstDay, lastDay]);
  if (!pending) return { refusal: undefined, checking: false };
  if (typed === null)
    return { refusal: new Error(`choose days between ${INSTANT_BOUNDS.min.slice(0, 4)} and ${INSTANT_BOUNDS.max.slice(0, 4)}`), checking: false };
  return { refusal: check.isError ? check.error : undefined, checking: check.isFetching };
}
