import { Badge } from '@mantine/core';
import type { TAlertState } from '@pulse/shared/alerts';
import { STATE_LOOK } from '../lib/alert-rules.ts';

export function AlertStateBadge({ state, testId }: { state: TAlertState; testId?: string }) {
  const { color, label } = STATE_LOOK[state];
  return (
    <Badge color={color} variant={state === 'firing' ? 'filled' : 'light'} data-testid={testId} data-state={state}>
      {label}
    </Badge>
  );
}
