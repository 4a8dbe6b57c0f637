import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { SCENARIOS } from '@pulse/shared/scenario-catalog';
import type { TScenarioRunView } from '../hooks/use-scenario-run.ts';
import { ScenarioCharts } from './scenario-charts.tsx';
import { ScenarioMarks } from './scenario-marks.tsx';
import { ScenarioProgress } from './scenario-progress.tsx';
import { ScenarioVerdictCard } from './scenario-verdict-card.tsx';

interface ScenarioRunPanelProps {
  view: TScenarioRunView;
  /** Its progress stream is still open. */
  live: boolean;
}

/** One run: its progress while it runs, then its verdict; its charts and timeline either way. */
export function ScenarioRunPanel({ view, live }: ScenarioRunPanelProps) {
  return (
    <Stack data-testid="scenario-run" data-run-id={view.run.runId}>
      {view.verdict ? (
        <ScenarioVerdictCard verdict={view.verdict} />
      ) : (
        <Paper withBorder p="md">
          <Stack>
            <Group justify="space-between">
              <Title order={4}>{SCENARIOS[view.run.scenario].title}</Title>
              <Badge variant="dot" color={live ? 'green' : 'gray'}>
                {live ? 'Running' : 'Stopped following'}
              </Badge>
            </Group>
            {live ? <ScenarioProgress latest={view.samples.at(-1)} /> : null}
          </Stack>
        </Paper>
      )}
      {view.samples.length > 0 ? (
        <ScenarioCharts samples={view.samples} marks={view.marks} />
      ) : (
        <Text c="dimmed" size="sm">
          {live ? 'Charts start with the first sample, a second into the run.' : 'This run has no samples.'}
        </Text>
      )}
      <ScenarioMarks marks={view.marks} />
    </Stack>
  );
}
