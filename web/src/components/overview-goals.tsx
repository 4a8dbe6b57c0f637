import { Anchor, Paper, Skeleton, Table, Text, Title } from '@mantine/core';
import type { TSummaryRequest } from '@pulse/shared/analytics';
import type { TFilters } from '@pulse/shared/filters';
import { useGoalsReport } from '../hooks/use-goals.ts';
import { formatCount } from '../lib/format.ts';
import { formatPercent } from '../lib/percent.ts';
import { hrefFor } from '../lib/routes.ts';
import { ErrorAlert } from './error-alert.tsx';

interface OverviewGoalsProps {
  range: TSummaryRequest;
  filters: TFilters;
  choiceKey: string;
}

/** Each goal's conversions and rate over the Overview's range and filters; goals are defined on the Goals page. */
export function OverviewGoals({ range, filters, choiceKey }: OverviewGoalsProps) {
  const report = useGoalsReport({ ...range, ...(filters.length > 0 ? { filters } : {}) }, `${choiceKey}|${JSON.stringify(filters)}`);
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="sm">
        Goals
      </Title>
      {report.isError && !report.data ? <ErrorAlert error={report.error} onRetry={() => void report.refetch()} /> : null}
      {!report.data ? (
        report.isError ? null : (
          <Skeleton height={80} />
        )
      ) : report.data.goals.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="overview-goals-empty">
          No goals yet: <Anchor href={hrefFor('goals')}>name one</Anchor> (a sign-up, a purchase, a page) to see how many visitors reach it.
        </Text>
      ) : (
        <Table data-testid="overview-goals">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Goal</Table.Th>
              <Table.Th ta="right">Conversions</Table.Th>
              <Table.Th ta="right">Visitors</Table.Th>
              <Table.Th ta="right">Conversion rate</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.data.goals.map((goal) => (
              <Table.Tr key={goal.id} data-testid="overview-goal-row" data-goal={goal.name}>
                <Table.Td>{goal.name}</Table.Td>
                <Table.Td ta="right">{formatCount(goal.conversions)}</Table.Td>
                <Table.Td ta="right">{formatCount(goal.visitors)}</Table.Td>
                <Table.Td ta="right">{formatPercent(goal.rate)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
