import { Group, Table, Text } from '@mantine/core';
import type { TAlertEvaluation } from '@pulse/shared/alerts';
import { formatInstant, formatMeasure } from '../lib/format.ts';
import { AlertStateBadge } from './alert-state-badge.tsx';

/** The windows that changed the rule's state, newest first: from what, to what, at what value. */
export function AlertHistoryTable({ changes }: { changes: TAlertEvaluation[] }) {
  if (changes.length === 0)
    return (
      <Text c="dimmed" size="sm" data-testid="alert-history-empty">
        No change of state yet.
      </Text>
    );
  return (
    <Table data-testid="alert-history">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Window ending</Table.Th>
          <Table.Th>Change</Table.Th>
          <Table.Th ta="right">Value</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((evaluation) => (
          <Table.Tr
            key={evaluation.windowEnd}
            data-testid="alert-history-row"
            data-window-end={evaluation.windowEnd}
            data-from={evaluation.previousState}
            data-to={evaluation.state}
          >
            <Table.Td>{formatInstant(evaluation.windowEnd)}</Table.Td>
            <Table.Td>
              <Group gap={6} wrap="nowrap">
                <AlertStateBadge state={evaluation.previousState} />→<AlertStateBadge state={evaluation.state} />
              </Group>
            </Table.Td>
            <Table.Td ta="right" data-testid="alert-history-value">
              {evaluation.value === null ? '—' : formatMeasure(evaluation.value)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
