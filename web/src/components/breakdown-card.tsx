import { Group, Paper, Progress, Skeleton, Table, Text, Title } from '@mantine/core';
import type { TBreakdownResponse } from '@pulse/shared/analytics';
import type { ReactNode } from 'react';
import { formatCount } from '../lib/format.ts';
import { ErrorAlert } from './error-alert.tsx';

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
}: BreakdownCardProps) {
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={5}>{title}</Title>
        {controls}
      </Group>
      {error && !rows ? (
        <ErrorAlert error={error} onRetry={onRetry} />
      ) : (
        <BreakdownRows rows={rows} totalEvents={totalEvents} empty={empty} renderValue={renderValue} />
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
}: Pick<BreakdownCardProps, 'rows' | 'totalEvents' | 'empty'> & { renderValue: (value: string) => ReactNode }) {
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
            <Table.Tr key={value} data-testid="breakdown-row">
              <Table.Td>{renderValue(value)}</Table.Td>
              <Table.Td ta="right">{formatCount(count)}</Table.Td>
              <Table.Td w="35%" title={`${percent.toFixed(1)}% of all events`}>
                <Progress value={percent} size="sm" aria-label={`${value}: ${percent.toFixed(1)}% of all events`} />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
