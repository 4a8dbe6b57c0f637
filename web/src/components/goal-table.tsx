import { Button, Group, Skeleton, Table, Text } from '@mantine/core';
import { describeMatch } from '@pulse/shared/event-match';
import type { TGoal, TGoalResult } from '@pulse/shared/goals';
import { filterLabel } from '../lib/filter-labels.ts';
import { formatCount } from '../lib/format.ts';
import { formatPercent } from '../lib/percent.ts';

interface GoalTableProps {
  goals: TGoal[];
  /** The report's row of each goal; a goal without one (just created, or the report still loading) shows placeholders. Null: no report to show. */
  results: ReadonlyMap<number, TGoalResult> | null;
  /** Whether the caller may change goals: without it, no Edit or Delete buttons. */
  canEdit: boolean;
  onEdit: (goal: TGoal) => void;
  onDelete: (goal: TGoal) => void;
}

/** "event signup", "page /pricing* where Country is Germany". */
function matchText(goal: TGoal): string {
  const filters = goal.match.filters ?? [];
  const what = goal.match.kind === 'event' ? `event ${describeMatch(goal.match)}` : describeMatch(goal.match);
  return filters.length === 0 ? what : `${what} where ${filters.map(filterLabel).join(' and ')}`;
}

/** Every goal, what reaches it, and how often it was reached over the range. */
export function GoalTable({ goals, results, canEdit, onEdit, onDelete }: GoalTableProps) {
  if (goals.length === 0)
    return (
      <Text c="dimmed" data-testid="goals-empty">
        No goals yet{canEdit ? ': name one above, and what reaching it means.' : '.'}
      </Text>
    );
  const figure = (goal: TGoal, show: (result: TGoalResult) => string) => {
    if (results === null) return '—';
    const result = results.get(goal.id);
    return result ? show(result) : <Skeleton height={16} width={48} ml="auto" />;
  };
  return (
    <Table striped data-testid="goal-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Goal</Table.Th>
          <Table.Th>Reached by</Table.Th>
          <Table.Th ta="right">Conversions</Table.Th>
          <Table.Th ta="right">Visitors</Table.Th>
          <Table.Th ta="right">Conversion rate</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {goals.map((goal) => (
          <Table.Tr key={goal.id} data-testid="goal-row" data-goal={goal.name}>
            <Table.Td fw={500}>{goal.name}</Table.Td>
            <Table.Td data-testid="goal-reached-by">{matchText(goal)}</Table.Td>
            <Table.Td ta="right" data-testid="goal-conversions">
              {figure(goal, (result) => formatCount(result.conversions))}
            </Table.Td>
            <Table.Td ta="right" data-testid="goal-visitors">
              {figure(goal, (result) => formatCount(result.visitors))}
            </Table.Td>
            <Table.Td ta="right" data-testid="goal-rate">
              {figure(goal, (result) => formatPercent(result.rate))}
            </Table.Td>
            <Table.Td>
              {canEdit ? (
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button size="xs" variant="light" onClick={() => onEdit(goal)}>
                    Edit
                  </Button>
                  <Button size="xs" variant="light" color="red" onClick={() => onDelete(goal)}>
                    Delete
                  </Button>
                </Group>
              ) : null}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
