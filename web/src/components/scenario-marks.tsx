import { Paper, ScrollArea, Text, Timeline } from '@mantine/core';
import type { TScenarioMark } from '@pulse/shared/scenarios';
import { formatElapsed } from '../lib/format.ts';

const KIND_COLOR: Record<TScenarioMark['kind'], string> = { phase: 'indigo', fault: 'red', breaker: 'orange', note: 'gray' };

/** What happened during the run, in order: phases, injected faults, breaker changes, notes. */
export function ScenarioMarks({ marks }: { marks: TScenarioMark[] }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700} mb="xs">
        Timeline
      </Text>
      {marks.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing yet.
        </Text>
      ) : (
        <ScrollArea.Autosize mah={360}>
          <Timeline active={marks.length - 1} bulletSize={14} lineWidth={2}>
            {marks.map((mark, index) => (
              <Timeline.Item key={index} color={KIND_COLOR[mark.kind]} title={mark.label} data-testid="scenario-mark" data-kind={mark.kind}>
                <Text size="xs" c="dimmed">
                  {formatElapsed(mark.elapsedMs)} · {mark.kind}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}
