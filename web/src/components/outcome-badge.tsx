import { Badge, type MantineSize } from '@mantine/core';
import type { TScenarioVerdict } from '@pulse/shared/scenarios';

const LOOK: Record<TScenarioVerdict['outcome'], { color: string; word: string }> = {
  passed: { color: 'green', word: 'Passed' },
  failed: { color: 'red', word: 'Failed' },
  cancelled: { color: 'gray', word: 'Cancelled' },
  error: { color: 'red', word: 'Error' },
};

interface OutcomeBadgeProps {
  outcome: TScenarioVerdict['outcome'];
  size?: MantineSize;
}

export function OutcomeBadge({ outcome, size }: OutcomeBadgeProps) {
  const { color, word } = LOOK[outcome];
  return (
    <Badge color={color} size={size} variant={outcome === 'error' ? 'outline' : 'filled'} data-outcome={outcome}>
      {word}
    </Badge>
  );
}
