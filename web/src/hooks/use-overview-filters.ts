import { notifications } from '@mantine/notifications';
import type { TSummaryRequest } from '@pulse/shared/analytics';
import type { TFilter } from '@pulse/shared/filters';
import { useEffect } from 'react';
import { sameFilter } from '../lib/filter-labels.ts';
import { trpc } from '../lib/trpc.ts';
import { describeError } from '../lib/trpc-errors.ts';
import { syncFiltersFromAddress, useOverviewFilters, useOverviewStore } from '../stores/overview-store.ts';
import { subscribeToHash } from './use-hash-route.ts';
import { summaryQueryOptions, withFilters } from './use-summary.ts';

/** While the Overview is shown, its filters are the address's: on arrival, on Back and Forward, from a pasted link. */
export function useFiltersFromAddress(): void {
  useEffect(() => {
    syncFiltersFromAddress();
    return subscribeToHash(syncFiltersFromAddress);
  }, []);
}

/**
 * The Overview's filters and how to change them. A longer list is put to the API first (as the summary the page
 * shows next, so nothing is asked twice) and becomes the page's only once accepted: `add` resolves to the
 * API's refusal, for the caller to show where the filter was chosen. Removing filters needs no asking.
 */
export function useFilterChanges(range: TSummaryRequest, choiceKey: string) {
  const utils = trpc.useUtils();
  const filters = useOverviewFilters();
  const setFilters = useOverviewStore((state) => state.setFilters);
  const add = async (filter: TFilter): Promise<unknown> => {
    if (filters.some((present) => sameFilter(present, filter))) return undefined;
    const next = [...filters, filter];
    try {
      await utils.analytics.summary.fetch(withFilters(range, next), summaryQueryOptions(choiceKey, next));
    } catch (error) {
      return error;
    }
    // Another filter may have come in while this one was asked about (two rows clicked at once): keep both.
    const latest = useOverviewStore.getState().filters;
    if (!latest.some((present) => sameFilter(present, filter))) setFilters([...latest, filter]);
    return undefined;
  };
  return {
    filters,
    add,
    /** For a row's click: a refusal (the eleventh filter) becomes a notice, there being no form to show it in. */
    addFromRow: async (filter: TFilter) => {
      const refusal = await add(filter);
      if (refusal === undefined) return;
      const { title, detail } = describeError(refusal);
      notifications.show({ title, message: detail, color: 'red', withBorder: true });
    },
    remove: (filter: TFilter) => setFilters(filters.filter((present) => present !== filter)),
    clear: () => setFilters([]),
  };
}
