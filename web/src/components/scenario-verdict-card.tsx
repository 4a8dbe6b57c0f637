import { Alert, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { SCENARIOS } from '@pulse/shared/scenario-catalog';
import type { TScenarioVerdict } from '@pulse/shared/scenarios';
import { formatDuration, formatMeasure } from '../lib/format.ts';
import { knobSummary } from '../lib/knob-summary.ts';
import { runDurationMs } from '../lib/scenario-series.ts';
import { OutcomeBadge } from './outcome-badge.tsx';

/** The outcome of a run, each check with what was expected and what happened, and what was measured. */
export function ScenarioVerdictCard({ verdict }: { verdict: TScenarioVerdict }) {
  const knobs = knobSummary(verdict.run.scenario, verdict.run.knobs);
  return (
    <Paper withBorder p="md" data-testid="scenario-verdict" data-outcome={verdict.outcome}>
      <Stack>
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={4}>{SCENARIOS[verdict.run.scenario].title}</Title>
            <Text size="sm" c="dimmed">
              Took {formatDuration(runDurationMs(verdict))}, finished {new Date(verdict.finishedAt).toLocaleString()}. {knobs}
            </Text>
          </Stack>
          <OutcomeBadge outcome={verdict.outcome} size="xl" />
        </Group>
        {verdict.error ? (
          <Alert color="red" variant="light" title="The run stopped with an error">
            {verdict.error}
          </Alert>
        ) : null}
        {verdict.checks.length > 0 ? (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Check</Table.Th>
                <Table.Th>Expected</Table.Th>
                <Table.Th>Actual</Table.Th>
                <Table.Th ta="center">Passed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {verdict.checks.map((check, index) => (
                <Table.Tr key={index} data-testid="scenario-check" data-passed={check.passed}>
                  <Table.Td fw={600}>{check.name}</Table.Td>
                  <Table.Td>{check.expected}</Table.Td>
                  <Table.Td>{check.actual}</Table.Td>
                  <Table.Td ta="center" c={check.passed ? 'green' : 'red'} fw={700} aria-label={check.passed ? 'passed' : 'failed'}>
                    {check.passed ? '✓' : '✗'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
        {verdict.figures.length > 0 ? (
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }}>
            {verdict.figures.map((figure, index) => (
              <Paper key={index} withBorder p="xs" data-testid="scenario-figure">
                <Text size="xs" c="dimmed">
                  {figure.label}
                </Text>
                <Text fw={700}>
                  {figure.value === null ? '—' : formatMeasure(figure.value)}{' '}
                  <Text span size="xs" c="dimmed">
                    {figure.unit}
                  </Text>
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
        ) : null}
      </Stack>
    </Paper>
  );
}
