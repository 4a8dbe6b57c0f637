import { Group, Paper, Progress, Stack, Text, Tooltip } from '@mantine/core';
import type { TScenarioMark, TScenarioSample } from '@pulse/shared/scenarios';
import { formatElapsed } from '../lib/format.ts';
import { breakerTimelinesOf } from '../lib/scenario-series.ts';
import { BREAKER_COLOR, BreakerStateBadge } from './breaker-state-badge.tsx';

interface BreakerTimelineProps {
  samples: TScenarioSample[];
  marks: TScenarioMark[];
}

/** Each circuit breaker's state over the run as a colored bar, its state now, and the breaker changes the run noted. */
export function BreakerTimeline({ samples, marks }: BreakerTimelineProps) {
  const timelines = breakerTimelinesOf(samples);
  const breakerMarks = marks.filter((mark) => mark.kind === 'breaker');
  return (
    <Paper withBorder p="sm" data-testid="scenario-breakers">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700} mb="xs">
        Circuit breakers
      </Text>
      <Stack gap="sm">
        {timelines.map(({ dependency, stretches }) => (
          <Stack key={dependency} gap={4}>
            <Group justify="space-between">
              <Text size="sm">{dependency}</Text>
              <BreakerStateBadge state={stretches.at(-1)!.state} testId={`scenario-breaker-${dependency}`} />
            </Group>
            <Progress.Root size="lg">
              {stretches.map((stretch) => (
                <Tooltip key={stretch.fromMs} label={`${stretch.state} from ${formatElapsed(stretch.fromMs)} to ${formatElapsed(stretch.toMs)}`}>
                  <Progress.Section value={stretch.share * 100} color={BREAKER_COLOR[stretch.state]} />
                </Tooltip>
              ))}
            </Progress.Root>
          </Stack>
        ))}
        {breakerMarks.map((mark) => (
          <Text key={`${mark.elapsedMs}-${mark.label}`} size="xs">
            <Text span c="dimmed" size="xs">
              {formatElapsed(mark.elapsedMs)}
            </Text>{' '}
            {mark.label}
          </Text>
        ))}
      </Stack>
    </Paper>
  );
}
