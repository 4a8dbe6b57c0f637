import type { TFilter, TFilters } from '@pulse/shared/filters';
import { sameFilter } from './filter-labels.ts';

/**
 * Adding, removing and clearing one question's filters. A longer list is put to the API first (`ask`: the
 * question the page shows next, so nothing is asked twice) and applied only once accepted; `onAdd` resolves to
 * the API's refusal, for the form to show where the filter was typed. Removing needs no asking. Named as
 * FilterBar's props, which take them as they are.
 */
export function filterListChanges(filters: TFilters, ask: (next: TFilters) => Promise<unknown>, apply: (next: TFilters) => void) {
  return {
    onAdd: async (filter: TFilter): Promise<unknown> => {
      if (filters.some((present) => sameFilter(present, filter))) return undefined;
      const next = [...filters, filter];
      try {
        await ask(next);
      } catch (error) {
        return error;
      }
      apply(next);
      return undefined;
    },
    onRemove: (filter: TFilter) => apply(filters.filter((present) => present !== filter)),
    onClear: () => apply([]),
  };
}
