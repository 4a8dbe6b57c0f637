import type { TSummaryRequest } from '@pulse/shared/analytics';
import type { TFilters } from '@pulse/shared/filters';
import { funnelRequestOf } from '../hooks/use-funnel.ts';
import { filterListChanges } from '../lib/filter-list-changes.ts';
import type { TFunnelDefinition } from '../lib/funnel-hash.ts';
import { trpc } from '../lib/trpc.ts';
import { FilterBar } from './filter-bar.tsx';

interface FunnelFiltersProps {
  funnel: TFunnelDefinition;
  range: TSummaryRequest;
  onShow: (funnel: TFunnelDefinition) => void;
}

/** The whole funnel's filters, as chips, kept in the address with the rest of the funnel. */
export function FunnelFilters({ funnel, range, onShow }: FunnelFiltersProps) {
  const utils = trpc.useUtils();
  const filters = funnel.filters ?? [];
  const { filters: _shown, ...withoutFilters } = funnel;
  const withFilters = (next: TFilters): TFunnelDefinition => (next.length > 0 ? { ...withoutFilters, filters: next } : withoutFilters);
  const changes = filterListChanges(
    filters,
    (next) => utils.analytics.funnel.fetch(funnelRequestOf(range, withFilters(next))),
    (next) => onShow(withFilters(next)),
  );
  return (
    <FilterBar
      range={range}
      filters={filters}
      {...changes}
      emptyText="Every event counts: add a filter to count, at every step, only the events that meet it."
    />
  );
}
