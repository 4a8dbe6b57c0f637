import { Badge, Tooltip } from '@mantine/core';
import type { TDegraded } from '@pulse/shared/analytics';

/** Says so when the backend served something other than the full, current answer. */
export function DegradedBadge({ degraded }: { degraded: TDegraded | undefined }) {
  if (!degraded) return null;
  const label =
    degraded.reason === 'database-unavailable'
      ? `Stale data${degraded.dataAgeMs === undefined ? '' : `, ${Math.round(degraded.dataAgeMs / 1_000)} s old`}`
      : `Coarser data (by ${degraded.granularity})`;
  return (
    <Tooltip label={degraded.message} multiline w={320}>
      <Badge color="orange" variant="light" size="lg" data-testid="overview-degraded">
        {label}
      </Badge>
    </Tooltip>
  );
}
