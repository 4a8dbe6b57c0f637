import { Progress, Table, Text } from '@mantine/core';
import type { TSummaryResponse } from '@pulse/shared/analytics';
import type { TFilter } from '@pulse/shared/filters';
import { columnIs, filterByLabel } from '../lib/filter-labels.ts';
import { formatCount } from '../lib/format.ts';
import { FilterRow } from './filter-row.tsx';

interface EventTypeTableProps {
  byType: TSummaryResponse['byType'];
  totalEvents: number;
  /** A row clicked: filter by its event name. */
  onFilter?: (filter: TFilter) => void;
}

export function EventTypeTable({ byType, totalEvents, onFilter }: EventTypeTableProps) {
  if (byType.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        No events in this range. Send some with the Generator page or POST /v1/batch, then come back.
      </Text>
    );
  }
  return (
    <Table striped highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Event</Table.Th>
          <Table.Th ta="right">Count</Table.Th>
          <Table.Th w="40%">Share</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {byType.map(({ name, count }) => (
          <FilterRow key={name} filterLabel={filterByLabel('name', name)} onFilter={onFilter && (() => onFilter(columnIs('name', name)))}>
            <Table.Td>{name}</Table.Td>
            <Table.Td ta="right" data-testid={`type-count-${name}`}>
              {formatCount(count)}
            </Table.Td>
            <Table.Td>
              <Progress value={totalEvents === 0 ? 0 : (count / totalEvents) * 100} aria-label={`${name} share`} />
            </Table.Td>
          </FilterRow>
        ))}
      </Table.Tbody>
    </Table>
  );
}
