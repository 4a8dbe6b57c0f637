import { Autocomplete, Group, Pill, SegmentedControl, Select, TextInput } from '@mantine/core';
import type { TSummaryRequest } from '@pulse/shared/analytics';
import type { TEventMatch } from '@pulse/shared/event-match';
import type { TFilter } from '@pulse/shared/filters';
import { filterLabel } from '../lib/filter-labels.ts';
import { AddFilterPopover } from './add-filter-popover.tsx';

const KINDS = [
  { value: 'event', label: 'Event' },
  { value: 'page', label: 'Page' },
];
const PATH_MATCH_CHOICES = [
  { value: 'is', label: 'is' },
  { value: 'startsWith', label: 'starts with' },
  { value: 'contains', label: 'contains' },
];

interface MatchInputProps {
  /** Possibly incomplete: an empty name or path until one is typed. */
  value: TEventMatch;
  onChange: (value: TEventMatch) => void;
  /** The range's event names, most frequent first, offered as the event is typed. */
  eventNames: string[];
  /** Where the filter pickers look for values to suggest. */
  range: TSummaryRequest;
  /** Names the inputs for tests and screen readers: "Step 2", "Goal". */
  label: string;
  testId: string;
}

/** What counts as doing something (a funnel step, a goal): an event by name, or page views of a path, and further filters on that event. */
export function MatchInput({ value, onChange, eventNames, range, label, testId }: MatchInputProps) {
  const filters = value.filters ?? [];
  const withFilters = (next: TFilter[]): TEventMatch => {
    const { filters: _previous, ...rest } = value;
    return next.length > 0 ? { ...rest, filters: next } : rest;
  };
  const chooseKind = (kind: string) => {
    const own = filters.length > 0 ? { filters } : {};
    onChange(kind === 'page' ? { kind: 'page', path: '', match: 'is', ...own } : { kind: 'event', name: '', ...own });
  };
  return (
    <Group gap="xs" align="center" wrap="wrap" data-testid={testId}>
      <SegmentedControl size="xs" data={KINDS} value={value.kind} onChange={chooseKind} aria-label={`${label}: event or page`} data-testid={`${testId}-kind`} />
      {value.kind === 'event' ? (
        <Autocomplete
          size="xs"
          w={240}
          placeholder="Event name, e.g. signup"
          aria-label={`${label} event name`}
          data={eventNames}
          value={value.name}
          onChange={(name) => onChange({ ...value, name })}
          data-testid={`${testId}-name`}
        />
      ) : (
        <>
          <Select
            size="xs"
            w={120}
            aria-label={`${label} path match`}
            data={PATH_MATCH_CHOICES}
            value={value.match}
            onChange={(match) => match && onChange({ ...value, match: match as typeof value.match })}
            allowDeselect={false}
            data-testid={`${testId}-match`}
          />
          <TextInput
            size="xs"
            w={200}
            placeholder="/pricing"
            aria-label={`${label} path`}
            value={value.path}
            onChange={(change) => onChange({ ...value, path: change.currentTarget.value })}
            data-testid={`${testId}-path`}
          />
        </>
      )}
      {filters.map((filter, index) => {
        const text = filterLabel(filter);
        return (
          <Pill
            key={`${index}:${text}`}
            withRemoveButton
            onRemove={() => onChange(withFilters(filters.filter((present) => present !== filter)))}
            // As the Overview's chips: the remove button is the way to take a filter off, so keyboards reach it.
            removeButtonProps={{ 'aria-label': `Remove ${label} filter ${text}`, 'aria-hidden': false, tabIndex: 0 }}
          >
            {text}
          </Pill>
        );
      })}
      <AddFilterPopover
        range={range}
        filters={filters}
        onAdd={(filter) => {
          onChange(withFilters([...filters, filter]));
          return Promise.resolve(undefined);
        }}
      />
    </Group>
  );
}

/** Whether the match names something: an event name, or a path (spaces alone are neither). */
export function isCompleteMatch(match: TEventMatch): boolean {
  return (match.kind === 'event' ? match.name : match.path).trim() !== '';
}
