import { Table } from '@mantine/core';
import type { TFunnelStep } from '@pulse/shared/funnels';
import { formatCount } from '../lib/format.ts';
import { formatPercent } from '../lib/percent.ts';
import { formatTimeSpan } from '../lib/time-span.ts';

/** "5 (50%)": visitors lost since the step before, and their share of it; nothing for step 1. */
function dropOffText(steps: TFunnelStep[], index: number): string {
  if (index === 0) return '—';
  const before = steps[index - 1]!.visitors;
  const { dropped } = steps[index]!;
  return before === 0 ? formatCount(dropped) : `${formatCount(dropped)} (${formatPercent(dropped / before)})`;
}

/** Each step: visitors, conversion from step 1, drop-off from the step before, median time since it. */
export function FunnelStepsTable({ steps }: { steps: TFunnelStep[] }) {
  return (
    <Table striped data-testid="funnel-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Step</Table.Th>
          <Table.Th ta="right">Visitors</Table.Th>
          <Table.Th ta="right">Conversion from step 1</Table.Th>
          <Table.Th ta="right">Drop-off from previous</Table.Th>
          <Table.Th ta="right">Median time from previous</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {steps.map((step, index) => (
          <Table.Tr key={index} data-testid="funnel-row">
            <Table.Td data-testid="funnel-label">
              {index + 1}. {step.label}
            </Table.Td>
            <Table.Td ta="right" data-testid="funnel-visitors">
              {formatCount(step.visitors)}
            </Table.Td>
            <Table.Td ta="right" data-testid="funnel-conversion">
              {formatPercent(step.conversion)}
            </Table.Td>
            <Table.Td ta="right" data-testid="funnel-dropped">
              {dropOffText(steps, index)}
            </Table.Td>
            <Table.Td ta="right" data-testid="funnel-median">
              {step.medianSecondsFromPrevious === null ? '—' : formatTimeSpan(step.medianSecondsFromPrevious)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
