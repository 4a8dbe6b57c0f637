import { Group, Progress, Stack, Text } from '@mantine/core';
import type { TScenarioSample } from '@pulse/shared/scenarios';
import { formatElapsed } from '../lib/format.ts';

/** How far the run is, from its latest sample; before the first one, that it is starting. */
export function ScenarioProgress({ latest }: { latest: TScenarioSample | undefined }) {
  const percent = Math.round((latest?.progress ?? 0) * 100);
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text size="sm" data-testid="scenario-phase">
          {latest?.phase ?? 'Starting…'}
        </Text>
        <Text size="sm" c="dimmed">
          {latest ? `${formatElapsed(latest.elapsedMs)} · ${percent}%` : ''}
        </Text>
      </Group>
      <Progress value={percent} animated size="lg" data-testid="scenario-progress" />
    </Stack>
  );
}
