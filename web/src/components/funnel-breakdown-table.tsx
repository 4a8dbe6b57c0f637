import { Table, Text } from '@mantine/core';
import type { TFunnelResponse } from '@pulse/shared/funnels';
import { formatCount } from '../lib/format.ts';
import { FIELD_LABELS } from '../lib/filter-labels.ts';
import { formatPercent } from '../lib/percent.ts';

type TFunnelBreakdownAnswer = NonNullable<TFunnelResponse['breakdown']>;

/** Each value of step 1's events (those with the most entrants): visitors at every step, and the share of entrants who got there. */
export function FunnelBreakdownTable({ breakdown, stepLabels }: { breakdown: TFunnelBreakdownAnswer; stepLabels: string[] }) {
  const by = typeof breakdown.by === 'string' ? FIELD_LABELS[breakdown.by] : `Property ${breakdown.by.property}`;
  if (breakdown.rows.length === 0) return <Text c="dimmed">No visitor entered the funnel in this range, so there are no values to split it by.</Text>;
  return (
    <Table striped data-testid="funnel-breakdown-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{by}</Table.Th>
          {stepLabels.map((label, index) => (
            <Table.Th key={index} ta="right">
              {index + 1}. {label}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {breakdown.rows.map((row) => (
          <Table.Tr key={row.value} data-testid="funnel-breakdown-row" data-value={row.value}>
            <Table.Td>{row.value}</Table.Td>
            {row.steps.map((step, index) => (
              <Table.Td key={index} ta="right" data-testid="funnel-breakdown-cell">
                {formatCount(step.visitors)}
                {index > 0 ? (
                  <Text span c="dimmed" size="sm">
                    {' '}
                    ({formatPercent(step.conversion)})
                  </Text>
                ) : null}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
