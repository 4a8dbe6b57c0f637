import { Badge } from '@mantine/core';
import type { TBreakerStatus } from '@pulse/shared/system';

export const BREAKER_COLOR: Record<TBreakerStatus['state'], string> = { closed: 'green', 'half-open': 'yellow', open: 'red' };

interface BreakerStateBadgeProps {
  state: TBreakerStatus['state'];
  testId?: string;
}

export function BreakerStateBadge({ state, testId }: BreakerStateBadgeProps) {
  return (
    <Badge color={BREAKER_COLOR[state]} data-testid={testId}>
      {state}
    </Badge>
  );
}
