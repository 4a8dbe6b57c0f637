import { Paper, Progress, Skeleton, Table, Text } from '@mantine/core';
import type { TBreakdownResponse } from '@pulse/shared/analytics';
import type { TFilter, TFilterColumn } from '@pulse/shared/filters';
import type { ReactNode } from 'react';
import { columnIs, filterByLabel } from '../lib/filter-labels.ts';
import { formatCount } from '../lib/format.ts';
import { ErrorAlert } from './error-alert.tsx';
import { FilterRow } from './filter-row.tsx';
import { TableCardHeader, type TableCsv } from './table-card-header.tsx';

interface BreakdownCardProps {
  title: string;
  testId: string;
  /** `undefined` while loading. */
  rows: TBreakdownResponse['rows'] | undefined;
  error: unknown;
  onRetry: () => void;
  /** Events in the range, which the share bars divide by; the rows' own sum while it is unknown. */
  totalEvents: number | undefined;
  /** What an empty table means and how to fill it. */
  empty: ReactNode;
  renderValue?: (value: string) => ReactNode;
  /** Shown beside the title, e.g. a choice between related dimensions. */
  controls?: ReactNode;
  /** Small print under the table, e.g. the attribution its data's licence asks for. */
  footnote?: ReactNode;
  csv?: TableCsv;
  /** The column the rows' values are of: a click on a row then filters by "<field> is <value>". */
  filterField?: TFilterColumn;
  onFilter?: (filter: TFilter) => void;
}

/** The top values of one dimension: a compact table of counts, each with its share of the range's events. */
export function BreakdownCard({
  title,
  testId,
  rows,
  error,
  onRetry,
  totalEvents,
  empty,
  renderValue = (value) => value,
  controls,
  footnote,
  csv,
  filterField,
  onFilter,
}: BreakdownCardProps) {
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <TableCardHeader title={title} order={5} controls={controls} csv={csv} csvTestId={`${testId}-csv`} />
      {error && !rows ? (
        <ErrorAlert error={error} onRetry={onRetry} />
      ) : (
        <BreakdownRows rows={rows} totalEvents={totalEvents} empty={empty} renderValue={renderValue} filterField={filterField} onFilter={onFilter} />
      )}
      {footnote && (
        <Text c="dimmed" size="xs" mt="xs">
          {footnote}
        </Text>
      )}
    </Paper>
  );
}

function BreakdownRows({
  rows,
  totalEvents,
  empty,
  renderValue,
  filterField,
  onFilter,
}: Pick<BreakdownCardProps, 'rows' | 'totalEvents' | 'empty' | 'filterField' | 'onFilter'> & { renderValue: (value: string) => ReactNode }) {
  if (!rows) return <Skeleton height={120} />;
  if (rows.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {empty}
      </Text>
    );
  }
  const total = totalEvents || rows.reduce((sum, row) => sum + row.count, 0);
  return (
    <Table verticalSpacing={4} highlightOnHover>
      <Table.Tbody>
        {rows.map(({ value, count }) => {
          const percent = total === 0 ? 0 : Math.min(100, (count / total) * 100);
          return (
            <FilterRow
              key={value}
              data-testid="breakdown-row"
              data-value={value}
              filterLabel={filterField && filterByLabel(filterField, value)}
              onFilter={filterField && onFilter && (() => onFilter(columnIs(filterField, value)))}
            >
              <Table.Td>{renderValue(value)}</Table.Td>
              <Table.Td ta="right">{formatCount(count)}</Table.Td>
              <Table.Td w="35%" title={`${percent.toFixed(1)}% of all events`}>
                <Progress value={percent} size="sm" aria-label={`${value}: ${percent.toFixed(1)}% of all events`} />
              </Table.Td>
            </FilterRow>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
