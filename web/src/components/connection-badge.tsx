import { Badge } from '@mantine/core';
import type { TConnection } from '../stores/live-store.ts';

const LOOK: Record<TConnection, { color: string; label: string }> = {
  connecting: { color: 'gray', label: 'Connecting…' },
  connected: { color: 'green', label: 'Connected' },
  reconnecting: { color: 'yellow', label: 'Reconnecting…' },
  offline: { color: 'red', label: 'Offline' },
};

export function ConnectionBadge({ connection }: { connection: TConnection }) {
  const { color, label } = LOOK[connection];
  return (
    <Badge color={color} variant="dot" size="lg" data-testid="live-connection" data-state={connection}>
      {label}
    </Badge>
  );
}
