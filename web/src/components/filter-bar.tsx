import { Button, Group, Pill, Text } from '@mantine/core';
import type { TSummaryRequest } from '@pulse/shared/analytics';
import type { TFilter, TFilters } from '@pulse/shared/filters';
import { filterLabel } from '../lib/filter-labels.ts';
import { AddFilterPopover } from './add-filter-popover.tsx';

interface FilterBarProps {
  range: TSummaryRequest;
  filters: TFilters;
  /** Resolves to the API's refusal of the filter, or undefined once it is applied. */
  onAdd: (filter: TFilter) => Promise<unknown>;
  onRemove: (filter: TFilter) => void;
  onClear: () => void;
  /** What no filter means here. */
  emptyText?: string;
}

/** The conditions every tile counts by, each a removable chip ("Country is Germany ×"), and the way to add one. */
export function FilterBar({
  range,
  filters,
  onAdd,
  onRemove,
  onClear,
  emptyText = 'All events: click a row below, or add a filter, to narrow every tile.',
}: FilterBarProps) {
  return (
    <Group gap="xs" data-testid="filter-bar">
      {filters.length === 0 ? (
        <Text size="sm" c="dimmed">
          {emptyText}
        </Text>
      ) : (
        filters.map((filter, index) => {
          const label = filterLabel(filter);
          return (
            <Pill
              key={`${index}:${label}`}
              size="lg"
              withRemoveButton
              onRemove={() => onRemove(filter)}
              // Pill hides its remove button from keyboards and screen readers (inputs remove pills by Backspace); here it is the way.
              removeButtonProps={{ 'aria-label': `Remove filter ${label}`, 'aria-hidden': false, tabIndex: 0 }}
              data-testid="filter-chip"
            >
              {label}
            </Pill>
          );
        })
      )}
      <AddFilterPopover range={range} filters={filters} onAdd={onAdd} />
      {filters.length > 0 ? (
        <Button size="xs" variant="subtle" onClick={onClear} data-testid="filter-clear">
          Clear all
        </Button>
      ) : null}
    </Group>
  );
}
