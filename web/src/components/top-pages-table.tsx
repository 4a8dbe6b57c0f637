import { Table, Text } from '@mantine/core';
import type { TTopPagesResponse } from '@pulse/shared/analytics';
import type { TFilter } from '@pulse/shared/filters';
import { columnIs, filterByLabel } from '../lib/filter-labels.ts';
import { formatCount } from '../lib/format.ts';
import { FilterRow } from './filter-row.tsx';

interface TopPagesTableProps {
  pages: TTopPagesResponse['pages'];
  /** A row clicked: filter by its path. */
  onFilter?: (filter: TFilter) => void;
}

export function TopPagesTable({ pages, onFilter }: TopPagesTableProps) {
  if (pages.length === 0) return <Text c="dimmed">No page views in this range.</Text>;
  return (
    <Table highlightOnHover>
      <Table.Tbody>
        {pages.map((page) => (
          <FilterRow
            key={page.path}
            data-testid="top-page-row"
            data-value={page.path}
            filterLabel={filterByLabel('path', page.path)}
            onFilter={onFilter && (() => onFilter(columnIs('path', page.path)))}
          >
            <Table.Td>{page.path}</Table.Td>
            <Table.Td ta="right" data-testid={`top-page-${page.path}`}>
              {formatCount(page.views)}
            </Table.Td>
          </FilterRow>
        ))}
      </Table.Tbody>
    </Table>
  );
}
