import { Badge, Group, Paper, Progress, Skeleton, Text, Title } from '@mantine/core';
import type { TUsageResponse } from '@pulse/shared/usage';
import { formatCount } from '../lib/format.ts';

const RESET_FORMAT = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' });

/** Calm, a warning from 80%, red once the quota is spent (new events are refused until the reset). */
function barColor(percent: number): string {
  if (percent >= 100) return 'red';
  return percent >= 80 ? 'orange' : 'blue';
}

/** The tenant's events this period against its plan's monthly quota, and when the count starts again. */
export function UsageCard({ usage }: { usage: TUsageResponse | undefined }) {
  const percent = usage?.quota == null ? null : usage.quota === 0 ? 100 : Math.min(100, (usage.used / usage.quota) * 100);
  return (
    <Paper withBorder p="md" data-testid="usage-card">
      <Group justify="space-between" mb="xs">
        <Title order={4}>Monthly event quota</Title>
        {usage ? (
          <Badge variant="light" data-testid="usage-plan">
            {usage.plan} plan
          </Badge>
        ) : null}
      </Group>
      {usage === undefined ? (
        <Skeleton height={48} />
      ) : (
        <>
          <Text size="sm">
            <span data-testid="usage-used">{formatCount(usage.used)}</span>{' '}
            {usage.quota === null ? (
              'events stored; this plan has no quota'
            ) : (
              <>
                of <span data-testid="usage-quota">{formatCount(usage.quota)}</span> events stored ({Math.floor(percent!)}%)
              </>
            )}
          </Text>
          {percent === null ? null : (
            <Progress value={percent} color={barColor(percent)} mt="xs" aria-label={`${Math.floor(percent)}% of the monthly event quota used`} />
          )}
          <Text size="xs" c="dimmed" mt="xs">
            {percent !== null && percent >= 100 ? 'New events are refused until the quota resets on ' : 'Resets on '}
            <time dateTime={usage.resetsAt} data-testid="usage-resets-at">
              {RESET_FORMAT.format(new Date(usage.resetsAt))} UTC
            </time>
          </Text>
        </>
      )}
    </Paper>
  );
}
