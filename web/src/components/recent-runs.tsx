import { Button, Paper, Table, Text, Title } from '@mantine/core';
import { SCENARIOS } from '@pulse/shared/scenario-catalog';
import { downloadJson } from '../lib/download-json.ts';
import { formatDuration } from '../lib/format.ts';
import { runDurationMs } from '../lib/scenario-series.ts';
import type { TRecordedRun } from '../stores/scenario-runs-store.ts';
import { OutcomeBadge } from './outcome-badge.tsx';

interface RecentRunsProps {
  runs: TRecordedRun[];
  /** The run shown above the list, highlighted in it. */
  shownRunId: string | null;
  onShow: (runId: string) => void;
}

function exportRun(recorded: TRecordedRun): void {
  const { run } = recorded.verdict;
  downloadJson(`pulse-${run.scenario}-${run.runId}.json`, { verdict: recorded.verdict, samples: recorded.samples, marks: recorded.marks });
}

/** Runs finished in this browser, newest first; a click shows one again. */
export function RecentRuns({ runs, shownRunId, onShow }: RecentRunsProps) {
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="sm">
        Recent runs
      </Title>
      {runs.length === 0 ? (
        <Text size="sm" c="dimmed">
          Runs you finish here are kept in this browser (the last 10).
        </Text>
      ) : (
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Scenario</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Outcome</Table.Th>
              <Table.Th>Duration</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.map((recorded) => {
              const { run } = recorded.verdict;
              return (
                <Table.Tr
                  key={run.runId}
                  onClick={() => onShow(run.runId)}
                  bg={run.runId === shownRunId ? 'var(--mantine-primary-color-light)' : undefined}
                  style={{ cursor: 'pointer' }}
                  data-testid="recent-run"
                  data-run-id={run.runId}
                >
                  <Table.Td fw={600}>{SCENARIOS[run.scenario].title}</Table.Td>
                  <Table.Td>{new Date(run.startedAt).toLocaleString()}</Table.Td>
                  <Table.Td>
                    <OutcomeBadge outcome={recorded.verdict.outcome} />
                  </Table.Td>
                  <Table.Td>{formatDuration(runDurationMs(recorded.verdict))}</Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="xs"
                      variant="light"
                      onClick={(click) => {
                        click.stopPropagation();
                        exportRun(recorded);
                      }}
                      data-testid="export-run"
                    >
                      Export JSON
                    </Button>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
